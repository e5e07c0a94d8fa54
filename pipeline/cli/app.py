"""The ``clusterstats`` group itself (its global options, the error boundary) and the commands that start the
app: ``serve`` (the web app and a job worker) and ``demo`` (the synthetic demo data, landed and built, then served).

:mod:`pipeline.cli` adds every command module's commands to :func:`cli`, these two included.
"""

from __future__ import annotations

import os
import sys
from importlib import resources
from pathlib import Path

import click

from pipeline.cli.auth import needs
from pipeline.cli.common import ErrorBoundary, settings_of
from pipeline.core.files import loose_files
from pipeline.core.settings import ENV_DATA_DIR, Settings

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


@click.group(cls=ErrorBoundary,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), envvar=ENV_DATA_DIR,
              default=None, help=f"Where clusterstats keeps its data (default ./data; env {ENV_DATA_DIR}).")
@click.option("--user", "username", envvar="CLUSTERSTATS_USER", default=None,
              help="Your account, when the data directory has accounts (the password: CLUSTERSTATS_PASSWORD or a "
                   "prompt).")
@click.version_option(package_name="clusterstats")
@click.pass_context
def cli(ctx: click.Context, data_dir: Path | None, username: str | None) -> None:
    """clusterstats: cluster statistics and agglomeration performance evaluation.

    \b
    Example, from nothing to a scorecard on the built-in demo data:
      clusterstats demo
    Your own data, dictionaries first:
      clusterstats ingest regions.csv --kind regions
      clusterstats ingest 2022年地区行业数据.csv --kind regional-industry
      clusterstats recompute
      clusterstats serve
    """
    ctx.obj = Settings.from_env(data_dir)
    ctx.meta["clusterstats.username"] = username


def _serve(settings: Settings, port: int, host: str, *, worker: bool = True, api_port: int | None = 8502) -> None:
    """Replace this process with the Streamlit server (rebuilding first a warehouse of an older layout), with a
    job worker beside it (it runs schedules, "run now" requests and the rebuild after each upload) and the
    open-data API on ``api_port`` (None: not started); both exit when the app does."""
    from pipeline.access.users import auth_enabled
    from pipeline.jobs import recompute, startup_check
    from warehouse.queries import build_info, is_current

    if host not in LOCAL_HOSTS and not auth_enabled(settings):
        raise click.ClickException(
            f"Refusing to serve on {host} without accounts: anyone on the network could read and change the data. "
            "Add an administrator first (clusterstats users add NAME --role admin), or serve on 127.0.0.1.")
    for line in startup_check(settings, thorough=True):  # a crash's leftovers, a damaged warehouse
        click.echo(f"Start-up check: {line}")
    for line in loose_files(settings.data_dir):  # what other accounts of this machine could read
        click.echo(f"Warning: {line}")
    build = build_info(settings.warehouse_path)
    if build is not None and not is_current(build):
        click.echo("The warehouse was built by another version of clusterstats; rebuilding it from the landing zone.")
        click.echo(recompute(settings, trigger="upgrade", wait_seconds=600).message)
    app = str(resources.files("ui").joinpath("app.py"))
    env = {**os.environ, ENV_DATA_DIR: str(settings.data_dir)}
    args = [sys.executable, "-m", "streamlit", "run", app, "--server.port", str(port), "--server.address", host,
            "--server.headless", "true", "--browser.gatherUsageStats", "false", "--client.toolbarMode", "viewer"]
    click.echo(f"Serving clusterstats on http://{'localhost' if host == '127.0.0.1' else host}:{port}  "
               "(Ctrl+C to stop)")
    sys.stdout.flush()
    if worker:
        from pipeline.jobs import start_worker_process

        start_worker_process(settings)
    if api_port is not None:
        _start_api(settings, host, api_port)
    os.execve(sys.executable, args, env)


def _start_api(settings: Settings, host: str, port: int) -> None:
    """The open-data API beside the app, in its own process on its own port (logging to ``data/api.log``); it
    watches this process's pid and stops when the app does (``os.execve`` keeps the pid)."""
    import subprocess

    settings.ensure_dirs()
    log = open(settings.data_dir / "api.log", "ab")  # noqa: SIM115 - handed to the child
    try:
        subprocess.Popen([sys.executable, "-m", "pipeline.cli", "--data-dir", str(settings.data_dir), "api",
                          "--host", host, "--port", str(port), "--parent", str(os.getpid())],
                         stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    finally:
        log.close()
    shown = "localhost" if host == "127.0.0.1" else host
    click.echo(f"Open-data API on http://{shown}:{port}/v1/releases (its OpenAPI document: /docs)")


def _install_boundaries(settings: Settings, boundaries: Path | None) -> None:
    if boundaries is not None:
        from pipeline.ingest.boundaries import install_boundaries

        click.echo(f"Boundaries for the maps: {install_boundaries(settings.data_dir, boundaries)}")


@click.command()
@click.option("--port", type=int, default=8501, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the default serves this machine only.")
@click.option("--no-worker", is_flag=True,
              help="Do not start a job worker beside the app (when `clusterstats worker` runs as its own service).")
@click.option("--api-port", type=int, default=8502, show_default=True,
              help="The port of the open-data API started beside the app.")
@click.option("--no-api", is_flag=True,
              help="Do not start the open-data API (when `clusterstats api` runs as its own service).")
@click.option("--boundaries", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="A GeoJSON of the regions (features keyed by region code) for the maps; copied into the data "
                   "directory's boundaries/ folder.")
@click.pass_context
def serve(ctx: click.Context, port: int, host: str, no_worker: bool, api_port: int, no_api: bool,
          boundaries: Path | None) -> None:
    """Start the web app on the live warehouse, with a job worker for schedules and rebuilds after uploads, and
    the open-data API on its own port.

    \b
    Example:
      clusterstats serve                        # the app on :8501, the API on :8502
      clusterstats serve --port 8600 --api-port 8601
      clusterstats serve --boundaries liaoning_cities.geojson
    """
    settings = settings_of(ctx)
    _install_boundaries(settings, boundaries)
    _serve(settings, port, host, worker=not no_worker, api_port=None if no_api else api_port)


@click.command()
@click.option("--no-serve", is_flag=True, help="Prepare the demo data and warehouse, but do not start the app.")
@click.option("--port", type=int, default=8501, show_default=True)
@click.option("--boundaries", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="A GeoJSON of the cities (keyed by region code) for the maps, copied into the data directory.")
@click.pass_context
@needs("admin", "land the demo data")
def demo(ctx: click.Context, no_serve: bool, port: int, boundaries: Path | None) -> None:
    """Generate the synthetic Liaoning demo data, land it through the normal ingest path, build, and serve.

    \b
    The demo data are synthetic (seeded, reproducible) and labelled so wherever they are shown.
    Example:
      clusterstats demo               # then open http://localhost:8501
      clusterstats --data-dir /tmp/cs demo --no-serve
    """
    from pipeline.demo.run import run_demo

    settings = settings_of(ctx)
    for line in run_demo(settings):
        click.echo(line)
    _install_boundaries(settings, boundaries)
    if not no_serve:
        _serve(settings, port, "127.0.0.1")


def register(group: click.Group) -> None:
    """Add ``serve`` and ``demo`` to the ``clusterstats`` group."""
    group.add_command(serve)
    group.add_command(demo)
