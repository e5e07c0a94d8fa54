"""The ``clusterstats`` command line: a thin layer over the library.

Each command parses its options, calls one library function and prints the result (a table, or JSON with
``--json``). Domain errors become a one-line message and exit status 1 at one boundary (:func:`main`).
"""

from __future__ import annotations

import json
import os
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import click

from pipeline.cli_auth import needs, who_is
from pipeline.errors import ClusterstatsError, UploadInvalid
from pipeline.settings import ENV_DATA_DIR, Settings
from schemas import KINDS


def _settings(ctx: click.Context) -> Settings:
    return ctx.find_object(Settings) or Settings.from_env()


def _echo_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


class _Group(click.Group):
    """Turns domain errors into a one-line message and exit status 1, at one boundary."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ClusterstatsError as exc:
            raise click.ClickException(str(exc)) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
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


@cli.command()
@click.pass_context
@needs("admin", "initialise the data directory")
def init(ctx: click.Context) -> None:
    """Create the data directory, the operations store and an (empty) warehouse; safe to run again.

    \b
    Example:
      clusterstats --data-dir /srv/clusterstats init
    """
    from pipeline.jobs import recompute
    from pipeline.ops import OpsStore
    from warehouse.queries import build_info

    settings = _settings(ctx)
    settings.ensure_dirs()
    applied = OpsStore(settings.ops_path).migrate()
    click.echo(f"Data directory: {settings.data_dir}")
    click.echo(f"Operations store: {settings.ops_path} ({len(applied)} migration(s) applied)")
    if build_info(settings.warehouse_path) is None:
        result = recompute(settings, trigger="init")
        click.echo(f"Warehouse created: {result.message}")
    else:
        click.echo(f"Warehouse: {settings.warehouse_path} (exists; `clusterstats recompute` rebuilds it)")


def _parse_units(values: tuple[str, ...]) -> dict[str, str]:
    units: dict[str, str] = {}
    for item in values:
        column, sep, unit = item.partition("=")
        if not sep or not column.strip() or not unit.strip():
            raise click.BadParameter(f"{item!r}: write COLUMN=UNIT, e.g. output_value=万元", param_hint="--unit")
        units[column.strip()] = unit.strip()
    return units


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--kind", required=True, type=click.Choice(list(KINDS)), help="What the file holds.")
@click.option("--sheet", default=None,
              help="Excel sheet name or number (1 = first; default: the sheet whose header matches KIND).")
@click.option("--unit", "units", multiple=True, metavar="COLUMN=UNIT",
              help="Declare a column's unit when the header does not, e.g. --unit output_value=万元.")
@click.option("--accept-valid-rows", is_flag=True,
              help="Land the rows without errors and set the others aside, with their reasons, in "
                   "data/rejected/<upload id>.csv (default: any error lands nothing).")
@click.option("--max-size", type=float, default=None, metavar="MB",
              help="Refuse files larger than this many megabytes (default 200, or CLUSTERSTATS_MAX_UPLOAD_MB).")
@click.option("--jump-factor", type=float, default=None, metavar="X",
              help="Warn when a value changes more than X times from the year before (default 5).")
@click.option("--who", default=None, help="Who is uploading (default: the login name).")
@click.option("--json", "as_json", is_flag=True, help="Print the result or the validation report as JSON.")
@click.pass_context
@needs("uploader", "land uploads")
def ingest(ctx: click.Context, file: Path, kind: str, sheet: str | None, units: tuple[str, ...],
           accept_valid_rows: bool, max_size: float | None, jump_factor: float | None, who: str | None,
           as_json: bool) -> None:
    """Validate FILE and land it as a new vintage of KIND; a file with any error lands nothing.

    \b
    Every problem is listed at once: row (as your spreadsheet shows it), column, value, rule and fix; the exit
    status is 1. Warnings (a year-on-year jump, values replacing a landed vintage) and notices (a title row
    skipped, '…' read as suppressed, a name read as its code) never stop the upload and are kept with it.
    The same file landed again is recognised and not duplicated.
    \b
    Examples:
      clusterstats ingest regions.csv --kind regions
      clusterstats ingest 地区行业.xlsx --kind regional-industry --sheet 2022
      clusterstats ingest output.csv --kind regional-industry --unit output_value=万元 --json
      clusterstats ingest 企业.csv --kind firms --accept-valid-rows --max-size 500
    """
    from pipeline.ingest import ingest_file

    settings = _settings(ctx)
    max_bytes = None if max_size is None else max(1, int(max_size * 1024 * 1024))
    try:
        result = ingest_file(settings, file, kind, sheet=sheet, units=_parse_units(units), who=who_is(ctx, who),
                             accept_valid_rows=accept_valid_rows, max_bytes=max_bytes, jump_factor=jump_factor)
    except UploadInvalid as exc:
        if as_json:
            _echo_json(exc.report.to_dict())
        else:
            click.echo(exc.report.format_table(), err=False)
        ctx.exit(1)
    queued = None
    if result.status == "landed":  # a running worker (`clusterstats serve`) rebuilds; uploads coalesce into one job
        from pipeline.worker import enqueue_upload

        queued = enqueue_upload(settings, result.upload).job_id
    rejected = None if result.rejected_path is None else str(result.rejected_path)
    if as_json:
        u = result.upload
        _echo_json({"status": result.status, "job": queued, "upload_id": u.upload_id, "kind": u.kind,
                    "vintage": u.vintage, "rows": u.rows, "file": u.file_name, "sha256": u.sha256, "units": u.units,
                    "who": u.who, "landed_at": u.landed_at, "message": result.message,
                    "rejected_rows": result.rejected, "rejected_file": rejected,
                    "failures": [f | {"severity": "error"} for f in result.report.to_dict()["failures"]],
                    "warnings": result.report.to_dict()["warnings"]})
    else:
        click.echo(result.message)
        if result.report.warnings:
            click.echo(result.report.format_warnings())
        if result.rejected:
            click.echo(result.report.format_table())
        if queued is not None:
            click.echo(f"Queued rebuild job {queued} for a running worker (`clusterstats jobs` shows it).")


@cli.command()
@click.option("--wait", type=float, default=0.0, show_default=True,
              help="Seconds to wait for a running build to finish instead of failing at once.")
@click.option("--json", "as_json", is_flag=True, help="Print the build result as JSON.")
@click.pass_context
@needs("uploader", "rebuild the warehouse")
def recompute(ctx: click.Context, wait: float, as_json: bool) -> None:
    """Rebuild the warehouse from every landed upload and make it live (the only writer).

    \b
    The build is written beside the live warehouse and swapped in when complete and audited, so readers never
    see a half-built warehouse and a failed build leaves the previous one live.
    \b
    Example:
      clusterstats recompute
      clusterstats recompute --wait 600     # queue behind a running build
    """
    from pipeline.jobs import recompute as run

    settings = _settings(ctx)
    result = run(settings, trigger="manual", wait_seconds=wait,
                 progress=None if as_json else (lambda msg: click.echo(msg, err=True)))
    if as_json:
        _echo_json({"build_id": result.build_id, "uploads": result.uploads, "rows": result.rows,
                    "seconds": round(result.seconds, 3), "methodology_hash": result.methodology_hash})
    else:
        click.echo(result.message)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@click.pass_context
@needs("viewer", "read the status")
def status(ctx: click.Context, as_json: bool) -> None:
    """Show the live build, the landed uploads per kind and the last builds.

    \b
    Example:
      clusterstats status --json
    """
    from pipeline.recovery import startup_check
    from pipeline.status import system_status

    settings = _settings(ctx)
    recovered = startup_check(settings)  # a crash's leftovers, a damaged warehouse: fixed, and said
    info = system_status(settings)
    if as_json:
        _echo_json({**info, "recovered": recovered})
        return
    for line in recovered:
        click.echo(f"Start-up check: {line}")
    click.echo(f"Data directory: {info['data_dir']}")
    build = info["build"]
    if build is None:
        click.echo("Warehouse: none yet (land data, then run `clusterstats recompute`).")
    else:
        demo = " (synthetic demo data)" if build["demo_data"] else ""
        click.echo(f"Warehouse: build {build['build_id']} of {build['built_at']}{demo}, "
                   f"{build['uploads']} uploads, methodology {build['methodology_hash']}")
    click.echo("Uploads per kind:")
    for kind, n in info["uploads"].items():
        click.echo(f"  {kind:<20} {n['uploads']:>3} upload(s), {n['rows']:>9} rows, newest vintage {n['vintage']}")
    if info["tables"]:
        click.echo("Warehouse tables:")
        for table, n in info["tables"].items():
            click.echo(f"  {table:<34} {n:>9}")
    if info["builds"]:
        click.echo("Last builds:")
        for b in info["builds"][:5]:
            click.echo(f"  {b['build_id']}  {b['status']:<9} {b['started_at']}  {b['message'] or ''}")


@cli.command()
@click.option("--kind", type=click.Choice(list(KINDS)), default=None, help="Only this kind.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
@needs("viewer", "list uploads")
def uploads(ctx: click.Context, kind: str | None, as_json: bool) -> None:
    """List landed uploads and their vintages (every upload is kept; the newest vintage wins).

    \b
    Example:
      clusterstats uploads --kind regional-industry
    """
    from pipeline.ops import OpsStore

    rows = OpsStore(_settings(ctx).ops_path).uploads(kind)
    if as_json:
        _echo_json([u.__dict__ for u in rows])
        return
    if not rows:
        click.echo("No uploads landed yet.")
    for u in rows:
        click.echo(f"{u.seq:>4}  {u.kind:<20} v{u.vintage:<3} {u.rows:>8} rows  {u.landed_at}  {u.who:<10} "
                   f"{u.file_name}  ({u.upload_id})")


@cli.command()
@click.argument("kind", required=False, type=click.Choice(list(KINDS)))
def kinds(kind: str | None) -> None:
    """Describe the upload kinds: columns, accepted headers (Chinese and English) and units.

    \b
    Examples:
      clusterstats kinds
      clusterstats kinds regional-industry
    """
    from pipeline.units import CANONICAL, known_units

    for spec in KINDS.values() if kind is None else [KINDS[kind]]:
        click.echo(f"{spec.name}  ({spec.title_zh} / {spec.title}); key: {', '.join(spec.keys)}")
        if kind is None:
            continue
        for col in spec.columns.values():
            need = "required" if col.required else "optional"
            unit = ""
            if col.dimension:
                unit = f"; unit {CANONICAL[col.dimension]} (also {', '.join(known_units(col.dimension)[1:4])})"
            click.echo(f"  {col.name:<18} {need:<8} {col.description}{unit}")
            click.echo(f"  {'':<18} headers: {', '.join(col.aliases)}")


LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def _serve(settings: Settings, port: int, host: str, *, worker: bool = True) -> None:
    """Replace this process with the Streamlit server (rebuilding first a warehouse of an older layout), with a
    job worker beside it: it runs schedules, "run now" requests and the rebuild after each upload, and exits
    when the app does."""
    from pipeline.jobs import recompute
    from pipeline.recovery import startup_check
    from pipeline.users import auth_enabled
    from warehouse.queries import build_info, is_current

    if host not in LOCAL_HOSTS and not auth_enabled(settings):
        raise click.ClickException(
            f"Refusing to serve on {host} without accounts: anyone on the network could read and change the data. "
            "Add an administrator first (clusterstats users add NAME --role admin), or serve on 127.0.0.1.")
    for line in startup_check(settings, thorough=True):  # a crash's leftovers, a damaged warehouse
        click.echo(f"Start-up check: {line}")
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
        from pipeline.worker import start_worker_process

        start_worker_process(settings)
    os.execve(sys.executable, args, env)


@cli.command()
@click.option("--port", type=int, default=8501, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the default serves this machine only.")
@click.option("--no-worker", is_flag=True,
              help="Do not start a job worker beside the app (when `clusterstats worker` runs as its own service).")
@click.option("--boundaries", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="A GeoJSON of the regions (features keyed by region code) for the maps; copied into the data "
                   "directory's boundaries/ folder.")
@click.pass_context
def serve(ctx: click.Context, port: int, host: str, no_worker: bool, boundaries: Path | None) -> None:
    """Start the web app on the live warehouse, with a job worker for schedules and rebuilds after uploads.

    \b
    Example:
      clusterstats serve --port 8502
      clusterstats serve --boundaries liaoning_cities.geojson
    """
    settings = _settings(ctx)
    _install_boundaries(settings, boundaries)
    _serve(settings, port, host, worker=not no_worker)


def _install_boundaries(settings: Settings, boundaries: Path | None) -> None:
    if boundaries is not None:
        from ui.geo import install_boundaries

        click.echo(f"Boundaries for the maps: {install_boundaries(settings.data_dir, boundaries)}")


@cli.command()
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
    from pipeline.demo_run import run_demo

    settings = _settings(ctx)
    for line in run_demo(settings):
        click.echo(line)
    _install_boundaries(settings, boundaries)
    if not no_serve:
        _serve(settings, port, "127.0.0.1")


from pipeline.cli_auth import register as _register_users  # noqa: E402  (accounts and roles)
from pipeline.cli_jobs import register as _register_job_commands  # noqa: E402  (schedules, jobs, worker)
from pipeline.cli_synth import register as _register_synth  # noqa: E402  (synthetic files at scale)

_register_job_commands(cli)
_register_users(cli)
_register_synth(cli)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="clusterstats")


if __name__ == "__main__":
    main()
