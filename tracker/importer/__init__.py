"""Import a plan's annex: read the file, find its layout, preview, apply in one transaction."""
