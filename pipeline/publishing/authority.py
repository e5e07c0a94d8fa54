"""Who may take a publishing decision, checked in the library (not only by the CLI and the app that call it): with
accounts, the named account must exist, be enabled and hold the role; a refusal is in the audit log. A data
directory without accounts is single-user (the demo): there the four-eyes rule still holds by name."""

from __future__ import annotations

from pipeline.access.users import AccessDenied, auth_enabled, current_account, require
from pipeline.core.settings import Settings


def authorise(settings: Settings, who: str, role: str, action: str) -> None:
    """Raise :class:`AccessDenied` unless ``who`` may ``action`` (has ``role``), when the directory has accounts."""
    if not auth_enabled(settings):
        return
    account = current_account(settings, who)
    if account is None:
        raise AccessDenied(f"There is no account {who!r}; only a {role} may {action}.")
    require(account, role, action, settings=settings)


__all__ = ["authorise"]
