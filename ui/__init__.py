"""Streamlit glue shared by dashboard.py and the pages.

Only this package, dashboard.py and pages/ import streamlit; everything they
show comes from tracker/.
"""
