"""What every command module shares: the error boundary, the settings of the invocation, JSON output."""

from __future__ import annotations

import json
from typing import Any

import click

from pipeline.core.errors import ClusterstatsError
from pipeline.core.settings import Settings


class ErrorBoundary(click.Group):
    """Turns domain errors into a one-line message and exit status 1, at one boundary."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ClusterstatsError as exc:
            raise click.ClickException(str(exc)) from None


def settings_of(ctx: click.Context) -> Settings:
    """The settings the root group made from ``--data-dir`` (or the environment, for a command run on its own)."""
    return ctx.find_object(Settings) or Settings.from_env()


def echo_json(value: Any) -> None:
    """Print ``value`` as indented JSON, Chinese as it is."""
    click.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))
