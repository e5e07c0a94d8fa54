"""Who runs a command: the role check every state-changing command makes, and the name it records.

With no account in the data directory the CLI runs as the single local user (the demo). Once accounts exist, a
command that needs a role asks for the user name (``--user`` or ``CLUSTERSTATS_USER``) and the password
(``CLUSTERSTATS_PASSWORD`` or a hidden prompt), and refuses a user without that role.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any

import click

from pipeline.access.users import LOCAL, User, auth_enabled, login, require
from pipeline.cli.common import settings_of

ENV_USER = "CLUSTERSTATS_USER"
ENV_PASSWORD = "CLUSTERSTATS_PASSWORD"


def acting_user(ctx: click.Context, role: str, action: str) -> User:
    """The logged-in user with at least ``role`` (the local user when the data directory has no accounts)."""
    settings = settings_of(ctx)
    if not auth_enabled(settings):
        return LOCAL
    cached = ctx.meta.get("clusterstats.user")
    if cached is None:
        name = ctx.meta.get("clusterstats.username") or os.environ.get(ENV_USER)
        if not name:
            name = click.prompt("User name")
        password = os.environ.get(ENV_PASSWORD)
        if password is None:
            password = click.prompt(f"Password for {name}", hide_input=True)
        cached = login(settings, name, password)
        ctx.meta["clusterstats.user"] = cached
    require(cached, role, action, settings=settings)
    return cached


def needs(role: str, action: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: the command runs only for a user with ``role``; it finds the user in ``ctx.meta``."""

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(command)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            acting_user(click.get_current_context(), role, action)
            return command(*args, **kwargs)

        return wrapper

    return decorate


def who_is(ctx: click.Context, explicit: str | None = None) -> str:
    """The name to record: the logged-in user's when accounts exist, else ``--who`` or the login name."""
    user = ctx.meta.get("clusterstats.user")
    if user is not None:
        return user.username
    if explicit:
        return explicit
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
