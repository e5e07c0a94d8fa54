"""``clusterstats submissions`` (a city's uploads reviewed by the province), ``clusterstats release`` (numbered
releases: create, approve, list, show, figures, verify, rebuild) and ``clusterstats methodology`` (changes under
four eyes): a thin layer over :mod:`pipeline.publishing`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from pipeline.cli.auth import acting_user, needs, who_is
from pipeline.cli.common import echo_json, settings_of
from pipeline.core.safety import visible


def _local(iso: str | None, tz: str) -> str:
    if not iso:
        return "-"
    return datetime.fromisoformat(iso).astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")


# -- submissions -------------------------------------------------------------------------------------------------
@click.group()
def submissions() -> None:
    """City submissions and their review. A submitter's upload waits as 'submitted' until a provincial reviewer
    accepts it (it enters official builds) or returns it with a comment (it never does).

    \b
    Examples:
      clusterstats submissions list --state submitted
      clusterstats submissions preview 3f2a9c0d1e2b4a5c      # what it would change
      clusterstats submissions accept 3f2a9c0d1e2b4a5c --comment "checked against the city yearbook"
      clusterstats submissions return 3f2a9c0d1e2b4a5c --comment "row 14: employment is in 万人, not persons"
    """


@submissions.command("list")
@click.option("--state", type=click.Choice(["submitted", "accepted", "returned"]), default=None)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def submissions_list(ctx: click.Context, state: str | None, as_json: bool) -> None:
    """List submissions, newest first. A submitter sees its own, with the reviewer's comments."""
    from pipeline.core.ops import OpsStore
    from pipeline.core.publication import submissions as rows_of

    user = acting_user(ctx, "submitter", "list submissions")
    settings = settings_of(ctx)
    store = OpsStore(settings.ops_path)
    store.migrate()
    rows = rows_of(store, state=state, who=user.username if user.submits else None)
    for r in rows:
        r.pop("preview_json", None)
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo("No submissions" + (f" {state}" if state else "") + ".")
    for r in rows:
        line = (f"{r['upload_id']}  {r['state']:<9}  {r['kind']} v{r['vintage']}  {visible(r['file_name'])}  "
                f"{r['rows']} rows  by {r['submitted_by']} {_local(r['submitted_at'], settings.timezone)}")
        if r["reviewed_by"] and r["state"] != "accepted" or r["comment"]:
            line += f"\n    {r['state']} by {r['reviewed_by']}: {visible(r['comment'] or '')}"
        click.echo(line)


@submissions.command("accept")
@click.argument("upload_id")
@click.option("--comment", default="", help="A note kept with the decision.")
@click.pass_context
@needs("reviewer", "accept submissions")
def submissions_accept(ctx: click.Context, upload_id: str, comment: str) -> None:
    """Accept a submission: it becomes official, and a build of the official figures is queued."""
    from pipeline.publishing import accept_submission

    row, job = accept_submission(settings_of(ctx), upload_id, who=who_is(ctx), comment=comment)
    click.echo(f"Accepted {row['upload_id']} ({visible(row['file_name'])}); official build queued as job {job}.")


@submissions.command("return")
@click.argument("upload_id")
@click.option("--comment", required=True, help="What to fix: the submitter reads it.")
@click.pass_context
@needs("reviewer", "return submissions")
def submissions_return(ctx: click.Context, upload_id: str, comment: str) -> None:
    """Return a submission to its submitter with a comment; it never enters official figures."""
    from pipeline.publishing import return_submission

    row = return_submission(settings_of(ctx), upload_id, who=who_is(ctx), comment=comment)
    click.echo(f"Returned {row['upload_id']} ({visible(row['file_name'])}) to {row['submitted_by']}.")


@submissions.command("preview")
@click.argument("upload_id")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@needs("reviewer", "preview submissions")
def submissions_preview(ctx: click.Context, upload_id: str, as_json: bool) -> None:
    """Build the official figures with this submission added and say what would change (scores, ranks, thresholds)."""
    from pipeline.jobs import format_report
    from pipeline.publishing import preview_submission

    report = preview_submission(settings_of(ctx), upload_id, who=who_is(ctx))
    if as_json:
        echo_json(report)
    else:
        click.echo(format_report(report))


# -- releases ----------------------------------------------------------------------------------------------------
@click.group()
def release() -> None:
    """Numbered releases of the official figures: created from the official build (frozen, read-only), approved by
    another reviewer or administrator, published by the worker at the announced time. A release is never edited: a
    correction is a new release that names the one it revises.

    \b
    Examples:
      clusterstats release create --title "2023年度产业集群评价" --reference-year 2023 --publish-at "2024-06-30 09:30"
      clusterstats release approve 1                 # by someone other than its creator
      clusterstats release list
      clusterstats release create --title "2023年度产业集群评价（修订）" --reference-year 2023 \\
          --publish-at "2024-07-15 09:30" --revises 1 --note "大连市2023年从业人员更正"
      clusterstats release rebuild 1                 # build it again from its vintages; compare every table
    """


@release.command("create")
@click.option("--title", required=True)
@click.option("--reference-year", type=int, default=None)
@click.option("--publish-at", required=True, help="When the embargo ends: YYYY-MM-DD HH:MM in the bureau's time zone.")
@click.option("--timezone", default=None, help="The zone of --publish-at (default: the bureau's, Asia/Shanghai).")
@click.option("--revises", type=int, default=None, help="The published release this one corrects.")
@click.option("--note", default=None, help="The revision note: what is corrected and why (needed with --revises).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@needs("reviewer", "create releases")
def release_create(ctx: click.Context, title: str, reference_year: int | None, publish_at: str, timezone: str | None,
                   revises: int | None, note: str | None, as_json: bool) -> None:
    """Freeze the live official build as the next release (a draft until another person approves it)."""
    from pipeline.publishing import create_release

    settings = settings_of(ctx)
    rel = create_release(settings, title=title, reference_year=reference_year, publish_at=publish_at,
                         timezone=timezone, who=who_is(ctx), revises=revises, note=note)
    if as_json:
        echo_json(_summary(rel))
        return
    click.echo(f"Release {rel['number']} created as a draft from build {rel['build_id']} ({rel['file']}); it is "
               f"published at {_local(rel['publish_at'], rel['timezone'])} ({rel['timezone']}) once another reviewer "
               f"or administrator approves it: clusterstats release approve {rel['number']}")
    if rel["changes"]:
        figures = rel["changes"]["figures"]
        click.echo(f"It revises release {rel['revises']}: {figures['figures']} figures in "
                   f"{len(figures['tables'])} tables differ (`clusterstats release show {rel['number']}`).")


@release.command("approve")
@click.argument("number", type=int)
@click.pass_context
@needs("reviewer", "approve releases")
def release_approve(ctx: click.Context, number: int) -> None:
    """Approve a draft release; the worker publishes it when its embargo ends."""
    from pipeline.publishing import approve_release

    rel = approve_release(settings_of(ctx), number, who=who_is(ctx))
    click.echo(f"Release {number} approved by {rel['approved_by']}; published at "
               f"{_local(rel['publish_at'], rel['timezone'])} ({rel['timezone']}) by the worker.")


@release.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@needs("viewer", "list releases")
def release_list(ctx: click.Context, as_json: bool) -> None:
    """Every release: number, status, embargo time, title, what it revises. Viewers see published ones only."""
    from pipeline.core.ops import OpsStore
    from pipeline.core.publication import releases

    user = acting_user(ctx, "viewer", "list releases")
    store = OpsStore(settings_of(ctx).ops_path)
    store.migrate()
    rows = [r for r in releases(store) if user.staff or r["status"] == "published"]
    if as_json:
        echo_json([_summary(r) for r in rows])
        return
    if not rows:
        click.echo("No releases yet.")
    for r in rows:
        revises = f"  revises {r['revises']}" if r["revises"] else ""
        click.echo(f"{r['number']:>3}  {r['status']:<9}  {_local(r['publish_at'], r['timezone'])} {r['timezone']}  "
                   f"{visible(r['title'])}{revises}")


@release.command("show")
@click.argument("number", type=int)
@click.pass_context
@needs("viewer", "read releases")
def release_show(ctx: click.Context, number: int) -> None:
    """One release as JSON: its record, the vintages it read and, for a revision, every figure that moved."""
    from pipeline.core.ops import OpsStore
    from pipeline.core.publication import release as one

    user = acting_user(ctx, "viewer", "read releases")
    rel = one(OpsStore(settings_of(ctx).ops_path), number)
    if rel is None or not (user.staff or rel["status"] == "published"):
        raise click.ClickException(f"There is no published release {number}.")
    echo_json(rel)


@release.command("figures")
@click.argument("number", type=int)
@click.pass_context
@needs("viewer", "read releases")
def release_figures(ctx: click.Context, number: int) -> None:
    """Every figure a revision changed against the release it revises, as CSV (table, row, figure, before, after)."""
    from pipeline.core.ops import OpsStore
    from pipeline.core.publication import release as one
    from pipeline.publishing import revision_figures
    from warehouse.compare import figures_frame

    user = acting_user(ctx, "viewer", "read releases")
    rel = one(OpsStore(settings_of(ctx).ops_path), number)
    if rel is None or not (user.staff or rel["status"] == "published"):
        raise click.ClickException(f"There is no published release {number}.")
    click.echo(figures_frame(revision_figures(settings_of(ctx), number)).write_csv(), nl=False)


@release.command("verify")
@click.pass_context
@needs("viewer", "verify releases")
def release_verify(ctx: click.Context) -> None:
    """Check every release's frozen file against its recorded content hash (exit 1 when one is missing or changed)."""
    from pipeline.publishing import release_problems

    problems = release_problems(settings_of(ctx))
    for p in problems:
        click.echo(p)
    if problems:
        ctx.exit(1)
    click.echo("Every release file is present and unchanged.")


@release.command("rebuild")
@click.argument("number", type=int)
@click.option("--restore", is_flag=True, help="Put the rebuilt file in place of a missing or damaged one.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@needs("admin", "rebuild releases")
def release_rebuild(ctx: click.Context, number: int, restore: bool, as_json: bool) -> None:
    """Build a release again from its recorded vintages and methodology, and compare every table's content hash."""
    from pipeline.publishing import rebuild_release

    result = rebuild_release(settings_of(ctx), number, who=who_is(ctx), restore=restore)
    if as_json:
        echo_json(result)
    elif not result["compared"]:
        click.echo(f"Release {number} rebuilt ({result['tables']} tables); its frozen file is missing or unreadable, "
                   "so nothing to compare" + ("; the rebuilt file now stands in its place." if result["restored"]
                                              else " (--restore puts the rebuilt file in its place)."))
    else:
        click.echo(f"Release {number} rebuilt: {result['tables']} tables, " + (
            "every one identical to the frozen file." if result["identical"] else
            f"{len(result['differing'])} differ: {', '.join(result['differing'])}.") +
            (" The rebuilt file now stands in place of the damaged one." if result["restored"] else ""))
    if result["compared"] and not result["identical"]:
        ctx.exit(1)


# -- methodology under four eyes ---------------------------------------------------------------------------------
@click.group()
def methodology() -> None:
    """Methodology changes under four eyes: an administrator proposes a named version, another approves it (it
    applies to the next official build) or rejects it with a comment.

    \b
    Examples:
      clusterstats methodology propose weights-2024.toml --name "2024 weights: openness doubled"
      clusterstats methodology list
      clusterstats methodology diff 3
      clusterstats methodology approve 3              # by another administrator
      clusterstats methodology reject 3 --comment "keep 2023's weights until the review"
    """


@methodology.command("propose")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--name", required=True, help="The version's name, shown to approvers and in the history.")
@click.pass_context
@needs("admin", "propose methodology changes")
def methodology_propose(ctx: click.Context, file: Path, name: str) -> None:
    """Propose FILE (a methodology TOML) as a named version."""
    from pipeline.publishing.methodology import propose

    p = propose(settings_of(ctx), file.read_text(encoding="utf-8"), name=name, who=who_is(ctx))
    if p["status"] == "approved":
        click.echo(f"Version {p['hash']} ({visible(p['name'])}) applies from the next build (single-user mode: no "
                   "second administrator to approve it).")
    else:
        click.echo(f"Proposal {p['id']}: version {p['hash']} ({visible(p['name'])}); another administrator "
                   f"approves it: clusterstats methodology approve {p['id']}")


@methodology.command("list")
@click.pass_context
@needs("admin", "list methodology proposals")
def methodology_list(ctx: click.Context) -> None:
    """Every proposal: id, status, version, name, who proposed and who decided."""
    from pipeline.publishing.methodology import proposals

    rows = proposals(settings_of(ctx))
    if not rows:
        click.echo("No methodology proposals.")
    for p in rows:
        decided = f", {p['status']} by {p['decided_by']}" if p["decided_by"] else ""
        click.echo(f"{p['id']:>3}  {p['status']:<8}  {p['hash']}  {visible(p['name'])}  (by {p['proposed_by']}"
                   f"{decided}){'  ' + visible(p['comment']) if p['comment'] else ''}")


@methodology.command("diff")
@click.argument("proposal_id", type=int)
@click.pass_context
@needs("admin", "read methodology proposals")
def methodology_diff(ctx: click.Context, proposal_id: int) -> None:
    """The proposal against the active methodology, as a unified diff."""
    from pipeline.publishing.methodology import diff

    click.echo(diff(settings_of(ctx), proposal_id), nl=False)


@methodology.command("approve")
@click.argument("proposal_id", type=int)
@click.pass_context
@needs("admin", "approve methodology changes")
def methodology_approve(ctx: click.Context, proposal_id: int) -> None:
    """Approve a proposal (not your own): it becomes the methodology and an official build is queued."""
    from pipeline.publishing.methodology import approve

    p = approve(settings_of(ctx), proposal_id, who=who_is(ctx))
    click.echo(f"Proposal {proposal_id} approved: version {p['hash']} applies from the next official build "
               "(queued).")


@methodology.command("reject")
@click.argument("proposal_id", type=int)
@click.option("--comment", required=True)
@click.pass_context
@needs("admin", "reject methodology changes")
def methodology_reject(ctx: click.Context, proposal_id: int, comment: str) -> None:
    """Reject a proposal with a comment; nothing changes."""
    from pipeline.publishing.methodology import reject

    reject(settings_of(ctx), proposal_id, who=who_is(ctx), comment=comment)
    click.echo(f"Proposal {proposal_id} rejected.")


def _summary(rel: dict) -> dict:
    return {k: v for k, v in rel.items() if k not in ("uploads", "changes")} | {"uploads": len(rel["uploads"])}


def register(cli: click.Group) -> None:
    """Add ``submissions``, ``release`` and ``methodology`` to the ``clusterstats`` group."""
    cli.add_command(submissions)
    cli.add_command(release)
    cli.add_command(methodology)


__all__ = ["methodology", "register", "release", "submissions"]
