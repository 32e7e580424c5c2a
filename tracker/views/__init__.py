"""Reading the state at a date: queries, classification, breakdowns, charts, exports."""
