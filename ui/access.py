"""Who is using the app. Accounts and roles (viewer, uploader, admin) are a later issue: until then the app runs
single-user on localhost, the user is "local user" and may do everything. Every page that changes something asks
:func:`is_admin` (methodology, schedules) or :func:`can_upload`, so roles plug in here and nowhere else."""

from __future__ import annotations

LOCAL_USER = "local user"


def current_user() -> str:
    """The name recorded with uploads, methodology versions and jobs."""
    return LOCAL_USER


def is_admin() -> bool:
    """Whether the user may change the methodology and the schedules (everyone, in single-user mode)."""
    return True


def can_upload() -> bool:
    """Whether the user may land uploads and start rebuilds (everyone, in single-user mode)."""
    return True
