"""``clusterstats tokens``: API tokens of the open-data API (make, list, revoke), a thin layer over
:mod:`pipeline.access.tokens`."""

from __future__ import annotations

import click

from pipeline.access.tokens import DEFAULT_DAYS, create_token, list_tokens, revoke_token
from pipeline.cli.auth import acting_user
from pipeline.cli.common import echo_json, settings_of
from pipeline.core.safety import visible


@click.group()
def tokens() -> None:
    """API tokens: a staff account (uploader and above) reads embargoed releases and the working build through the
    open-data API with one (``Authorization: Bearer cst_...``); without one, or with a viewer's, the API serves
    published releases only. A token acts with its account's current role, expires, and can be revoked.

    \b
    Example:
      export CLUSTERSTATS_USER=wang                # the account you log in as (its password is asked)
      clusterstats tokens create wang --name "portal build server" --days 30
      clusterstats tokens list
      clusterstats tokens revoke 3f2a9c0d1e4b5a67
    """


@tokens.command("create")
@click.argument("username")
@click.option("--name", required=True, help="What the token is for (shown in lists and the audit log).")
@click.option("--days", type=int, default=DEFAULT_DAYS, show_default=True, help="Lifetime in days; 0: never expires.")
@click.pass_context
def tokens_create(ctx: click.Context, username: str, name: str, days: int) -> None:
    """Make a token for USERNAME (your own, or any account's as an administrator). The token is printed once:
    keep it like a password.

    \b
    Example:
      clusterstats tokens create li --name "my notebook"
    """
    by = acting_user(ctx, "viewer", "make API tokens")
    token, text = create_token(settings_of(ctx), username, by=by, name=name, days=days or None)
    click.echo(f"Token {token.token_id} for {token.username} ({token.name}), "
               f"{'expires ' + token.expires_at if token.expires_at else 'never expires'}. Shown this once:")
    click.echo(text)


@tokens.command("list")
@click.option("--all", "everyone", is_flag=True, help="Every account's tokens (administrators).")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def tokens_list(ctx: click.Context, everyone: bool, as_json: bool) -> None:
    """Your tokens (every account's with --all): id, account, name, state, dates; never a secret.

    \b
    Example:
      clusterstats tokens list --all
    """
    by = acting_user(ctx, "admin" if everyone else "viewer", "list API tokens")
    found = list_tokens(settings_of(ctx), username=None if everyone else by.username)
    if as_json:
        echo_json([t.__dict__ | {"state": t.state()} for t in found])
        return
    if not found:
        click.echo("No API tokens.")
    for t in found:
        click.echo(f"{t.token_id}  {visible(t.username):<24} {t.state():<8} made {t.created_at}  expires "
                   f"{t.expires_at or 'never':<25} last used {t.last_used_at or 'never':<25} {visible(t.name)}")


@tokens.command("revoke")
@click.argument("token_id")
@click.pass_context
def tokens_revoke(ctx: click.Context, token_id: str) -> None:
    """Revoke a token (yours, or any as an administrator): it is refused from then on.

    \b
    Example:
      clusterstats tokens revoke 3f2a9c0d1e4b5a67
    """
    by = acting_user(ctx, "viewer", "revoke API tokens")
    token = revoke_token(settings_of(ctx), token_id, by=by)
    click.echo(f"Token {token.token_id} of {token.username} revoked.")


def register(cli: click.Group) -> None:
    cli.add_command(tokens)


__all__ = ["register", "tokens"]
