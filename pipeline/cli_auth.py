"""Who runs a command: `clusterstats users ...` and the role check every state-changing command makes.

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

from pipeline.settings import Settings
from pipeline.users import LOCAL, ROLES, User, add_user, auth_enabled, list_users, login, remove_user, require, set_role

ENV_USER = "CLUSTERSTATS_USER"
ENV_PASSWORD = "CLUSTERSTATS_PASSWORD"


def acting_user(ctx: click.Context, role: str, action: str) -> User:
    """The logged-in user with at least ``role`` (the local user when the data directory has no accounts)."""
    settings = ctx.find_object(Settings) or Settings.from_env()
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
    require(cached, role, action)
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


@click.group()
def users() -> None:
    """Accounts and roles: viewer (read), uploader (plus upload and rebuild), admin (plus methodology, schedules,
    users). The first account must be an admin; creating it switches authentication on.

    \b
    Example:
      clusterstats users add wang --role admin          # asks for a password
      CLUSTERSTATS_USER=wang clusterstats users add li --role uploader
      clusterstats users list
    """


@users.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--openid", is_flag=True, help="An OpenID Connect account (USERNAME is its e-mail; no password).")
@click.pass_context
def users_add(ctx: click.Context, username: str, role: str, openid: bool) -> None:
    """Add an account.

    \b
    Example:
      clusterstats users add zhang --role uploader
      clusterstats users add officer@stats.ln.gov.cn --role viewer --openid
    """
    settings = ctx.find_object(Settings) or Settings.from_env()
    by = acting_user(ctx, "admin", "add users") if auth_enabled(settings) else LOCAL
    password = None
    if not openid:
        password = os.environ.get("CLUSTERSTATS_NEW_PASSWORD") or click.prompt(
            f"New password for {username}", hide_input=True, confirmation_prompt=True)
    user = add_user(settings, username, role, password=password, by=by)
    click.echo(f"Added {user.username} ({user.role}). Authentication is on: commands and the app ask for a login.")


@users.command("list")
@click.pass_context
def users_list(ctx: click.Context) -> None:
    """List accounts and roles (administrators).

    \b
    Example:
      clusterstats users list
    """
    acting_user(ctx, "admin", "list users")
    settings = ctx.find_object(Settings) or Settings.from_env()
    accounts = list_users(settings)
    if not accounts:
        click.echo("No accounts: single-user mode (the app and the CLI run as the local user).")
    for u in accounts:
        click.echo(f"{u.username:<32} {u.role:<9} {'password' if u.local else 'openid':<9}"
                   f"{'  disabled' if u.disabled else ''}")


@users.command("role")
@click.argument("username")
@click.argument("role", type=click.Choice(ROLES))
@click.pass_context
def users_role(ctx: click.Context, username: str, role: str) -> None:
    """Change an account's role (administrators).

    \b
    Example:
      clusterstats users role zhang admin
    """
    by = acting_user(ctx, "admin", "change roles")
    set_role(ctx.find_object(Settings) or Settings.from_env(), username, role, by=by)
    click.echo(f"{username} is now {role}.")


@users.command("remove")
@click.argument("username")
@click.pass_context
def users_remove(ctx: click.Context, username: str) -> None:
    """Remove an account (administrators).

    \b
    Example:
      clusterstats users remove zhang
    """
    by = acting_user(ctx, "admin", "remove users")
    remove_user(ctx.find_object(Settings) or Settings.from_env(), username, by=by)
    click.echo(f"Removed {username}.")


@click.command()
@click.option("--limit", type=int, default=100, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def audit(ctx: click.Context, limit: int, as_json: bool) -> None:
    """The audit log, newest first: logins, uploads, methodology, schedule and account changes, builds
    (administrators).

    \b
    Example:
      clusterstats audit --limit 20
    """
    import json

    from pipeline.users import audit_log

    acting_user(ctx, "admin", "read the audit log")
    entries = audit_log(ctx.find_object(Settings) or Settings.from_env(), limit=limit)
    if as_json:
        click.echo(json.dumps(entries, ensure_ascii=False, indent=2))
        return
    for e in entries:
        click.echo(f"{e['at']}  {e['who']:<24} {e['action']:<18} {json.dumps(e['detail'], ensure_ascii=False)}")


def register(cli: click.Group) -> None:
    cli.add_command(users)
    cli.add_command(audit)
