"""Errors a user can cause. Their messages are written for staff, in Vietnamese.

Pages and the CLI catch TrackerError and show its message; anything else is a bug.
"""

import errno

# What the system says of a file it could not read or write, in the words of the messages.
_OS_REASONS = {
    errno.ENOENT: "không có tệp hoặc thư mục này",
    errno.ENOSPC: "hết chỗ trên đĩa",
    errno.EACCES: "không có quyền",
    errno.EPERM: "không có quyền",
    errno.EROFS: "ổ đĩa chỉ cho phép đọc",
    errno.EEXIST: "một phần của đường dẫn là tệp, không phải thư mục",
    errno.ENOTDIR: "một phần của đường dẫn là tệp, không phải thư mục",
    errno.EISDIR: "đây là một thư mục, không phải tệp",
}


def os_reason(error: OSError) -> str:
    """Why the system refused a file, in Vietnamese; its own words (and number) when unusual."""
    return _OS_REASONS.get(error.errno or 0, f"{error.strerror or error} (lỗi hệ thống {error.errno})")


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
