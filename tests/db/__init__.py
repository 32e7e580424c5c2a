"""Tracker functions against a real database (SQLite, and PostgreSQL when configured)."""
