"""The data commands: ``init``, ``ingest``, ``uploads``, ``kinds``, ``status`` and ``recompute`` (a thin layer
over :mod:`pipeline.ingest`, the operations store and :mod:`pipeline.jobs`)."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.cli.auth import needs, who_is
from pipeline.cli.common import echo_json, settings_of
from pipeline.core.errors import UploadInvalid
from pipeline.core.files import loose_files
from schemas import KINDS


@click.command()
@click.pass_context
@needs("admin", "initialise the data directory")
def init(ctx: click.Context) -> None:
    """Create the data directory, the operations store and an (empty) warehouse; safe to run again.

    \b
    Example:
      clusterstats --data-dir /srv/clusterstats init
    """
    from pipeline.core.ops import OpsStore
    from pipeline.jobs import recompute
    from warehouse.queries import build_info

    settings = settings_of(ctx)
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


@click.command()
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
@needs("submitter", "land uploads")
def ingest(ctx: click.Context, file: Path, kind: str, sheet: str | None, units: tuple[str, ...],
           accept_valid_rows: bool, max_size: float | None, jump_factor: float | None, who: str | None,
           as_json: bool) -> None:
    """Validate FILE and land it as a new vintage of KIND; a file with any error lands nothing.

    \b
    Every problem is listed at once: row (as your spreadsheet shows it), column, value, rule and fix; the exit
    status is 1. Warnings (a year-on-year jump, values replacing a landed vintage) and notices (a title row
    skipped, '…' read as suppressed, a name read as its code) never stop the upload and are kept with it.
    The same file landed again is recognised and not duplicated. An account limited to regions (a city's
    submitter) lands rows of its regions only.
    \b
    Examples:
      clusterstats ingest regions.csv --kind regions
      clusterstats ingest 地区行业.xlsx --kind regional-industry --sheet 2022
      clusterstats ingest output.csv --kind regional-industry --unit output_value=万元 --json
      clusterstats ingest 企业.csv --kind firms --accept-valid-rows --max-size 500
    """
    from pipeline.ingest import ingest_file

    settings = settings_of(ctx)
    max_bytes = None if max_size is None else max(1, int(max_size * 1024 * 1024))
    try:
        user = ctx.meta.get("clusterstats.user")  # the logged-in account (none without accounts)
        result = ingest_file(settings, file, kind, sheet=sheet, units=_parse_units(units), who=who_is(ctx, who),
                             accept_valid_rows=accept_valid_rows, max_bytes=max_bytes, jump_factor=jump_factor,
                             scope=user.scope if user is not None else None,
                             submission=user is not None and user.submits)
    except UploadInvalid as exc:
        if as_json:
            echo_json(exc.report.to_dict())
        else:
            click.echo(exc.report.format_table(), err=False)
        ctx.exit(1)
    queued = None
    submitted = result.status == "landed" and user is not None and user.submits
    if submitted:  # nothing official changes until a reviewer accepts it; the acceptance queues the build
        pass
    elif result.status == "landed":  # a running worker (`clusterstats serve`) rebuilds; uploads coalesce into one job
        from pipeline.jobs import enqueue_upload

        queued = enqueue_upload(settings, result.upload).job_id
    rejected = None if result.rejected_path is None else str(result.rejected_path)
    if as_json:
        u = result.upload
        echo_json({"status": "submitted" if submitted else result.status, "job": queued,
                   "upload_id": u.upload_id, "kind": u.kind,
                   "vintage": u.vintage, "rows": u.rows, "file": u.file_name, "sha256": u.sha256, "units": u.units,
                   "who": u.who, "landed_at": u.landed_at, "message": result.message,
                   "rejected_rows": result.rejected, "rejected_file": rejected,
                   "failures": [f | {"severity": "error"} for f in result.report.to_dict()["failures"]],
                   "warnings": result.report.to_dict()["warnings"]})
    else:
        click.echo(result.message)
        if submitted:
            click.echo(f"Submitted for review as {result.upload.upload_id}: it enters official figures once a "
                       "provincial reviewer accepts it (`clusterstats submissions list` shows its state and the "
                       "reviewer's comment).")
        if result.report.warnings:
            click.echo(result.report.format_warnings())
        if result.rejected:
            click.echo(result.report.format_table())
        if queued is not None:
            from pipeline.jobs import worker_pid

            pid = worker_pid(settings)
            click.echo(f"Queued rebuild job {queued}; the worker (pid {pid}) builds it (`clusterstats jobs` shows "
                       "it)." if pid else f"Queued rebuild job {queued}, but no worker runs on this data directory: "
                       "`clusterstats recompute` builds now, or start one (`clusterstats serve`, `clusterstats "
                       "worker`).")


@click.command()
@click.option("--wait", type=float, default=0.0, show_default=True,
              help="Seconds to wait for a running build to finish instead of failing at once.")
@click.option("--json", "as_json", is_flag=True, help="Print the build result as JSON.")
@click.option("--working", is_flag=True, help="Build the staff's working build instead: the accepted uploads and "
              "those still under review (data/working.duckdb); official figures do not change.")
@click.pass_context
@needs("uploader", "rebuild the warehouse")
def recompute(ctx: click.Context, wait: float, as_json: bool, working: bool) -> None:
    """Rebuild the official warehouse from every accepted upload and make it live (the only writer).

    \b
    The build is written beside the live warehouse and swapped in when complete and audited, so readers never
    see a half-built warehouse and a failed build leaves the previous one live. A city's submission enters it once
    a reviewer accepts it; --working builds everything submitted, for staff to look at.
    \b
    Example:
      clusterstats recompute
      clusterstats recompute --wait 600     # queue behind a running build
      clusterstats recompute --working      # the working build, submissions under review included
    """
    from pipeline.jobs import recompute as run

    result = run(settings_of(ctx), trigger="manual", wait_seconds=wait, working=working,
                 progress=None if as_json else (lambda msg: click.echo(msg, err=True)))
    if as_json:
        echo_json({"build_id": result.build_id, "uploads": result.uploads, "rows": result.rows,
                   "seconds": round(result.seconds, 3), "methodology_hash": result.methodology_hash})
    else:
        click.echo(result.message)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@click.pass_context
@needs("viewer", "read the status")
def status(ctx: click.Context, as_json: bool) -> None:
    """Show the live build, the landed uploads per kind and the last builds.

    \b
    Example:
      clusterstats status --json
    """
    from pipeline.core.ops import OpsStore
    from pipeline.core.publication import releases
    from pipeline.jobs import startup_check, system_status
    from pipeline.publishing import release_problems

    settings = settings_of(ctx)
    recovered = startup_check(settings)  # a crash's leftovers, a damaged warehouse: fixed, and said
    loose = loose_files(settings.data_dir)  # what other accounts of this machine could read
    info = system_status(settings)
    released = [{k: r[k] for k in ("number", "status", "publish_at", "title", "revises")}
                for r in releases(OpsStore(settings.ops_path))]
    damaged = release_problems(settings)  # a frozen release file missing or changed
    if as_json:
        echo_json({**info, "recovered": recovered, "permissions": loose, "releases": released,
                   "release_problems": damaged})
        return
    for line in recovered:
        click.echo(f"Start-up check: {line}")
    for line in loose:
        click.echo(f"Warning: {line}")
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
    if released:
        click.echo(f"Releases: {len(released)} (newest: {released[0]['number']}, {released[0]['status']})")
    for line in damaged:
        click.echo(f"Problem: {line}")


@click.command()
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
    from pipeline.core.ops import OpsStore

    rows = OpsStore(settings_of(ctx).ops_path).uploads(kind)
    if as_json:
        echo_json([u.__dict__ for u in rows])
        return
    if not rows:
        click.echo("No uploads landed yet.")
    for u in rows:
        click.echo(f"{u.seq:>4}  {u.kind:<20} v{u.vintage:<3} {u.rows:>8} rows  {u.landed_at}  {u.who:<10} "
                   f"{u.file_name}  ({u.upload_id})")


@click.command()
@click.argument("kind", required=False, type=click.Choice(list(KINDS)))
def kinds(kind: str | None) -> None:
    """Describe the upload kinds: columns, accepted headers (Chinese and English) and units.

    \b
    Examples:
      clusterstats kinds
      clusterstats kinds regional-industry
    """
    from pipeline.ingest.units import CANONICAL, known_units

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


def register(cli: click.Group) -> None:
    """Add the data commands to the ``clusterstats`` group."""
    for command in (init, ingest, recompute, status, uploads, kinds):
        cli.add_command(command)
