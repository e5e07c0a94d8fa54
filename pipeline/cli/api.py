"""``clusterstats api``: the read-only open-data API (pipeline.api), on uvicorn."""

from __future__ import annotations

import os
import threading
import time

import click

from pipeline.cli.common import settings_of
from pipeline.core.settings import ENV_DATA_DIR


@click.command("api")
@click.option("--port", default=8502, show_default=True, help="Port to listen on.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (127.0.0.1: this machine only; 0.0.0.0: every interface).")
@click.option("--workers", default=1, show_default=True, help="Worker processes (uvicorn).")
@click.option("--parent", type=int, default=None, hidden=True, help="Stop when this process ends (`serve`).")
@click.pass_context
def api(ctx: click.Context, port: int, host: str, workers: int, parent: int | None) -> None:
    """Serve the releases as open data: JSON (paged), CSV, Parquet and SDMX-CSV, with an OpenAPI document at
    /openapi.json and its pages at /docs. Published releases are public; releases not yet published and the
    builds need a staff account's token (`clusterstats tokens create`).

    \b
    Examples:
      clusterstats api --port 8502
      curl http://127.0.0.1:8502/v1/releases
      curl "http://127.0.0.1:8502/v1/releases/2/ranking?year=2022&format=csv"
      curl -H "Authorization: Bearer cst_..." http://127.0.0.1:8502/v1/builds/official/ranking
    """
    import uvicorn

    from pipeline.api import create_app

    settings = settings_of(ctx)
    click.echo(f"Open-data API on http://{host}:{port}/v1/releases (OpenAPI: /openapi.json); Ctrl+C stops it.")
    if workers > 1:  # uvicorn starts each worker from an import string
        os.environ[ENV_DATA_DIR] = str(settings.data_dir)
        uvicorn.run("pipeline.api:app_from_env", factory=True, host=host, port=port, workers=workers,
                    log_level="warning")
        return
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host=host, port=port, log_level="warning"))
    if parent is not None:
        threading.Thread(target=_stop_with, args=(parent, server), daemon=True).start()
    server.run()


def _stop_with(parent: int, server: object) -> None:
    """Ask the server to stop (gracefully) once ``parent`` is no longer this process's parent."""
    while os.getppid() == parent:
        time.sleep(1)
    server.should_exit = True  # type: ignore[attr-defined]


def register(cli: click.Group) -> None:
    cli.add_command(api)


__all__ = ["api", "register"]
