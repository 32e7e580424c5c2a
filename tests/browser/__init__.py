"""The product in a real browser: `streamlit run dashboard.py` driven by Playwright and Debian's Chromium."""
