"""Pages and the dashboard driven by Streamlit's AppTest."""
