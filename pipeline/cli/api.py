"""``clusterstats api``: the read-only open-data API over the published releases (pipeline.api), on uvicorn."""

from __future__ import annotations

import click

from pipeline.cli.common import settings_of


@click.command("api")
@click.option("--port", default=8502, show_default=True, help="Port to listen on.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (127.0.0.1: this machine only; 0.0.0.0: every interface).")
@click.option("--workers", default=1, show_default=True, help="Worker processes (uvicorn).")
@click.pass_context
def api(ctx: click.Context, port: int, host: str, workers: int) -> None:
    """Serve the published releases as open data: JSON (paged), CSV and Parquet, with an OpenAPI document at
    /openapi.json and its pages at /docs.

    \b
    Examples:
      clusterstats api --port 8502
      curl http://127.0.0.1:8502/v1/releases
      curl "http://127.0.0.1:8502/v1/releases/2/ranking?year=2022&format=csv"
    """
    import uvicorn

    from pipeline.api import create_app

    settings = settings_of(ctx)
    click.echo(f"Open-data API on http://{host}:{port}/v1/releases (OpenAPI: /openapi.json); Ctrl+C stops it.")
    uvicorn.run(create_app(settings), host=host, port=port, workers=workers, log_level="warning")


def register(cli: click.Group) -> None:
    cli.add_command(api)


__all__ = ["api", "register"]
