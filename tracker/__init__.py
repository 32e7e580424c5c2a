"""Tracking the tasks of a steering committee's action plans.

Everything that is not drawing widgets lives here; this package never imports
streamlit, so the CLI, the pages and the tests share it.
"""
