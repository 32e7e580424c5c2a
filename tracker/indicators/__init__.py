"""Indicators (chỉ tiêu): a plan's quantitative targets, the values reported against them, their status."""
