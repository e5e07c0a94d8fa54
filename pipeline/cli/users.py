"""``clusterstats users`` (accounts and roles) and ``clusterstats audit`` (the audit log): a thin layer over
:mod:`pipeline.access.users`."""

from __future__ import annotations

import json
import os

import click

from pipeline.access.users import (
    LOCAL,
    ROLES,
    add_user,
    audit_log,
    auth_enabled,
    list_users,
    remove_user,
    set_regions,
    set_role,
)
from pipeline.cli.auth import acting_user
from pipeline.cli.common import echo_json, settings_of
from pipeline.core.safety import visible


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
@click.option("--regions", default="", help="Region codes the account may submit rows of, comma-separated, each with "
              "the regions under it (a submitter needs them).")
@click.pass_context
def users_add(ctx: click.Context, username: str, role: str, openid: bool, regions: str) -> None:
    """Add an account.

    \b
    Example:
      clusterstats users add zhang --role uploader
      clusterstats users add li --role submitter --regions 210100
      clusterstats users add officer@stats.ln.gov.cn --role viewer --openid
    """
    settings = settings_of(ctx)
    by = acting_user(ctx, "admin", "add users") if auth_enabled(settings) else LOCAL
    password = None
    if not openid:
        password = os.environ.get("CLUSTERSTATS_NEW_PASSWORD") or click.prompt(
            f"New password for {username}", hide_input=True, confirmation_prompt=True)
    user = add_user(settings, username, role, password=password, by=by, regions=_codes(regions))
    limited = f", limited to {', '.join(user.regions)}" if user.regions else ""
    click.echo(f"Added {user.username} ({user.role}{limited}). Authentication is on: commands and the app ask for a "
               "login.")


def _codes(text: str) -> list[str]:
    return [c.strip() for c in text.replace(";", ",").split(",") if c.strip()]


@users.command("regions")
@click.argument("username")
@click.argument("regions", default="")
@click.pass_context
def users_regions(ctx: click.Context, username: str, regions: str) -> None:
    """Limit an account to regions (comma-separated codes; none: every region).

    \b
    Example:
      clusterstats users regions li 210100,210200
    """
    by = acting_user(ctx, "admin", "change an account's regions")
    set_regions(settings_of(ctx), username, _codes(regions), by=by)
    click.echo(f"{username}: " + (f"limited to {regions}" if regions else "every region"))


@users.command("list")
@click.pass_context
def users_list(ctx: click.Context) -> None:
    """List accounts and roles (administrators).

    \b
    Example:
      clusterstats users list
    """
    acting_user(ctx, "admin", "list users")
    accounts = list_users(settings_of(ctx))
    if not accounts:
        click.echo("No accounts: single-user mode (the app and the CLI run as the local user).")
    for u in accounts:
        click.echo(f"{u.username:<32} {u.role:<9} {'password' if u.local else 'openid':<9}"
                   f"{'  regions ' + ','.join(u.regions) if u.regions else ''}{'  disabled' if u.disabled else ''}")


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
    set_role(settings_of(ctx), username, role, by=by)
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
    remove_user(settings_of(ctx), username, by=by)
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
    acting_user(ctx, "admin", "read the audit log")
    entries = audit_log(settings_of(ctx), limit=limit)
    if as_json:
        echo_json(entries)
        return
    for e in entries:  # one line per record: what a user typed (a name at a failed login) is shown, never acted on
        detail = json.dumps(e["detail"], ensure_ascii=False)
        click.echo(f"{e['at']}  {visible(e['who']):<24} {visible(e['action']):<18} {visible(detail)}")


def register(cli: click.Group) -> None:
    """Add ``users`` and ``audit`` to the ``clusterstats`` group."""
    cli.add_command(users)
    cli.add_command(audit)
