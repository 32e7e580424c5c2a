"""Reports as of a date: content (content.py, tables.py) and the Excel and Word writers."""
