"""Errors a user can cause. Their messages are written for staff, in Vietnamese.

Pages and the CLI catch TrackerError and show its message; anything else is a bug.
"""


class TrackerError(Exception):
    """An error the user can understand and fix."""


class ConfigError(TrackerError):
    """A setting in the environment is wrong."""


class NotFound(TrackerError):
    """No such record."""


class InvalidValue(TrackerError):
    """A value given by the user is not acceptable."""


class PermissionDenied(TrackerError):
    """The acting user may not do this."""


class StaleVersion(TrackerError):
    """Someone else changed the record since the user read it."""


class AuthError(TrackerError):
    """Sign-in refused."""


class ImportFileError(TrackerError):
    """The file cannot be read as a task table; nothing was written."""


class StorageFull(TrackerError):
    """The database's disk is full; nothing of the change was written."""


class DatabaseUnavailable(TrackerError):
    """The database cannot be reached or written (down, read-only, full); tracker.db.reporting_outages."""
