"""Coordination: a coordinating unit's own part of a task, and the lead's requests for input."""
