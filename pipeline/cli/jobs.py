"""CLI commands for recomputation jobs: ``schedule``, ``jobs`` and ``worker`` (a thin layer over
:mod:`pipeline.jobs`: schedules, the job queue and worker, change reports).

:mod:`pipeline.cli` adds them to the ``clusterstats`` group with ``register(cli)``.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import click

from pipeline.cli.auth import needs, who_is
from pipeline.cli.common import echo_json, settings_of


def _local(iso: str | None, tz: str) -> str:
    if not iso:
        return "-"
    return datetime.fromisoformat(iso).astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M:%S")


# -- schedule ---------------------------------------------------------------------------------------------------
@click.group(invoke_without_command=True)
@click.pass_context
def schedule(ctx: click.Context) -> None:
    """Recompute on a schedule: cron expressions in the bureau's time zone, run by `clusterstats worker`.

    \b
    Without a subcommand, lists the schedules.
    Examples:
      clusterstats schedule add "30 2 * * *" --name nightly      # every night at 02:30
      clusterstats schedule add "0 8 1 * *" --name monthly       # the 1st of each month, 08:00
      clusterstats schedule list
      clusterstats schedule pause nightly
      clusterstats schedule resume nightly
      clusterstats schedule remove monthly
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(schedule_list)


@schedule.command("add")
@click.argument("cron")
@click.option("--name", default=None, help="A name to pause or remove it by (default schedule-N).")
@click.option("--who", default=None, help="Who adds it (default: the login name).")
@click.pass_context
@needs("admin", "add schedules")
def schedule_add(ctx: click.Context, cron: str, name: str | None, who: str | None) -> None:
    """Add a schedule: CRON is minute hour day-of-month month day-of-week, in the bureau's time zone.

    \b
    Example:
      clusterstats schedule add "0 6 * * 1" --name monday-morning
    """
    from pipeline.jobs import add_schedule, describe

    s = add_schedule(settings_of(ctx), cron, name=name, who=who_is(ctx, who))
    click.echo(f"Added: {describe(s)}")
    click.echo("`clusterstats worker` (or `clusterstats serve`) runs it when due.")


@schedule.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
@needs("viewer", "list schedules")
def schedule_list(ctx: click.Context, as_json: bool = False) -> None:
    """List the schedules with their next run (local time).

    \b
    Example:
      clusterstats schedule list --json
    """
    from pipeline.jobs import describe, list_schedules

    rows = list_schedules(settings_of(ctx))
    if as_json:
        echo_json([s.to_dict() for s in rows])
    elif not rows:
        click.echo('No schedules. Add one: clusterstats schedule add "30 2 * * *" --name nightly')
    for s in [] if as_json else rows:
        click.echo(describe(s))


def _schedule_action(action: str) -> Any:
    @click.argument("name")
    @click.option("--who", default=None, help="Who does it (default: the login name).")
    @click.pass_context
    @needs("admin", f"{action} schedules")
    def command(ctx: click.Context, name: str, who: str | None) -> None:
        from pipeline.jobs import describe, remove_schedule, set_paused

        settings = settings_of(ctx)
        if action == "remove":
            remove_schedule(settings, name, who=who_is(ctx, who))
            click.echo(f"Removed schedule {name}.")
        else:
            click.echo(describe(set_paused(settings, name, action == "pause", who=who_is(ctx, who))))

    command.__doc__ = {
        "remove": "Remove schedule NAME.\n\n\b\nExample:\n  clusterstats schedule remove nightly",
        "pause": "Pause schedule NAME (it keeps its cron; resume restarts it).\n\n\b\nExample:\n"
                 "  clusterstats schedule pause nightly",
        "resume": "Resume schedule NAME from now (missed runs are not replayed).\n\n\b\nExample:\n"
                  "  clusterstats schedule resume nightly",
    }[action]
    return schedule.command(action)(command)


for _action in ("remove", "pause", "resume"):
    _schedule_action(_action)


# -- jobs -------------------------------------------------------------------------------------------------------
@click.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print the history as JSON.")
@click.option("--limit", type=int, default=20, show_default=True, help="How many jobs, newest first.")
@click.pass_context
@needs("viewer", "read the job history")
def jobs(ctx: click.Context, as_json: bool, limit: int) -> None:
    """Recompute jobs: the history (without a subcommand), run now, and what each build changed.

    \b
    Every job is kept in ops.sqlite: trigger (schedule, upload, manual), who, start, end, status, duration,
    rows read, build, methodology, and the error with the failing step.
    Examples:
      clusterstats jobs
      clusterstats jobs --json --limit 100
      clusterstats jobs run --wait
      clusterstats jobs show 12
      clusterstats jobs report                   # what the newest build changed
    """
    if ctx.invoked_subcommand is not None:
        return
    from pipeline.jobs import job_history

    settings = settings_of(ctx)
    rows = job_history(settings, limit=limit)
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo("No jobs yet. `clusterstats jobs run --wait` runs one now.")
    for j in rows:
        click.echo(_job_line(j, settings.timezone))


def _job_line(j: dict[str, Any], tz: str) -> str:
    duration = f"{j['duration_s']:.1f}s" if j["duration_s"] is not None else "-"
    rows = j["rows_read"] if j["rows_read"] is not None else "-"
    message = j.get("change_summary") if j["status"] == "succeeded" and j.get("change_summary") else j["message"]
    return (f"{j['id']:>4}  {j['status']:<9} {j['trigger']:<16} {j['who']:<14} {_local(j['started_at'], tz)}  "
            f"{duration:>7} {rows:>8} rows  {j['build_id'] or '-':<24} {(message or '')[:160]}")


@jobs.command("run")
@click.option("--wait", is_flag=True, help="Wait until the job has finished (runs it here if no worker runs).")
@click.option("--force", is_flag=True, help="Build even when there is no new data and no methodology change.")
@click.option("--who", default=None, help="Who asks (default: the login name).")
@click.option("--json", "as_json", is_flag=True, help="Print the job as JSON.")
@click.pass_context
@needs("uploader", "start a build")
def jobs_run(ctx: click.Context, wait: bool, force: bool, who: str | None, as_json: bool) -> None:
    """Queue a recompute now ("run now"); the worker runs it, one build at a time.

    \b
    A request made while another job waits is merged into it (one build answers both).
    Examples:
      clusterstats jobs run
      clusterstats jobs run --wait --force
    """
    from pipeline.jobs import TERMINAL, run_now

    settings = settings_of(ctx)
    job = run_now(settings, who=who_is(ctx, who), force=force, wait=wait,
                  say=None if as_json else (lambda m: click.echo(m, err=True)))
    if as_json:
        echo_json(job)
        return
    click.echo(_job_line(job, settings.timezone))
    if job["status"] not in TERMINAL:
        click.echo(f"Job {job['id']} is queued; `clusterstats worker` runs it (`clusterstats jobs` shows it).")
    elif job["status"] == "failed":
        ctx.exit(1)


@jobs.command("show")
@click.argument("job_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
@needs("viewer", "read the job history")
def jobs_show(ctx: click.Context, job_id: int, as_json: bool) -> None:
    """One job in full: its requests, every attempt and its outcome.

    \b
    Example:
      clusterstats jobs show 12
    """
    from pipeline.jobs import get_job

    settings = settings_of(ctx)
    job = get_job(settings, job_id)
    if as_json:
        echo_json(job)
        return
    click.echo(_job_line(job, settings.timezone))
    click.echo(f"  message: {job['message']}")
    for r in job["detail"]:
        click.echo(f"  request {r['trigger']:<8} {r['who']:<14} {_local(r['at'], settings.timezone)}  "
                   f"{json.dumps(r['detail'], ensure_ascii=False)}")
    for a in job["attempt_log"]:
        click.echo(f"  attempt {a['attempt']} {a['status']:<11} {a['seconds']:.1f}s  build {a['build_id'] or '-'}  "
                   f"{a['message'] or ''}")


@jobs.command("report")
@click.argument("build_id", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the whole report as JSON (for export).")
@click.pass_context
@needs("viewer", "read change reports")
def jobs_report(ctx: click.Context, build_id: str | None, as_json: bool) -> None:
    """What build BUILD_ID changed against the build before it (default: the newest build).

    \b
    Examples:
      clusterstats jobs report
      clusterstats jobs report 20250301T020000Z-1a2b3c --json > changes.json
    """
    from pipeline.jobs import format_report, latest_report, load_report

    settings = settings_of(ctx)
    report = load_report(settings, build_id) if build_id else latest_report(settings)
    if report is None:
        raise click.ClickException(f"No change report for {build_id or 'any build'}; reports are written by "
                                   "every build (`clusterstats jobs` lists the builds of the jobs).")
    if as_json:
        echo_json(report)
    else:
        click.echo(format_report(report))


# -- worker ------------------------------------------------------------------------------------------------------
@click.command()
@click.option("--once", is_flag=True, help="Fire due schedules, run the jobs ready now, then exit.")
@click.option("--poll", type=float, default=5.0, show_default=True, help="Seconds between queue checks.")
@click.option("--retries", type=int, default=2, show_default=True, help="Further attempts after a failed build.")
@click.option("--backoff", type=float, default=60.0, show_default=True,
              help="Seconds before the first retry; doubled for each further one.")
@click.option("--timeout", type=float, default=3600.0, show_default=True,
              help="A build running longer is stopped (the previous warehouse stays live).")
@click.pass_context
@needs("admin", "run a worker")
def worker(ctx: click.Context, once: bool, poll: float, retries: int, backoff: float, timeout: float) -> None:
    """Run scheduled, uploaded and requested recomputes, one build at a time (Ctrl+C stops it).

    \b
    `clusterstats serve` starts one beside the app. Alternative without a worker: call
    `clusterstats recompute` from cron or a systemd timer.
    Examples:
      clusterstats worker
      clusterstats worker --once             # e.g. from cron, every 5 minutes
      clusterstats worker --retries 3 --backoff 120 --timeout 1800
    """
    from pipeline.jobs import Worker, WorkerConfig, stop_on_sigterm

    settings = settings_of(ctx)
    config = WorkerConfig(poll_seconds=poll, retries=retries, backoff_seconds=backoff, timeout_seconds=timeout)
    w = Worker(settings, config=config, say=lambda m: click.echo(f"{datetime.now():%H:%M:%S} {m}"))
    stop_on_sigterm()
    click.echo(f"Worker on {settings.data_dir} (poll {poll:g} s, {retries} retries, timeout {timeout:g} s)")
    try:
        w.run(once=once)
    except KeyboardInterrupt:
        click.echo("Worker stopped.")


def register(cli: click.Group) -> None:
    """Add ``schedule``, ``jobs`` and ``worker`` to the ``clusterstats`` group."""
    for command in (schedule, jobs, worker):
        cli.add_command(command)


__all__ = ["jobs", "register", "schedule", "worker"]
