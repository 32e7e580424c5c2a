"""A task's life: the life-cycle table, writes with permission and history, evidence."""
