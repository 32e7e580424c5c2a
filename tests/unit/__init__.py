"""Pure functions: no database."""
