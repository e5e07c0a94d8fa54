"""``clusterstats release disclosure N`` (what a release's disclosure control did: per measure, how its firms were
known and how many cells each rule suppressed; per table, how many figures were withheld) and ``clusterstats
release acknowledge N`` (an administrator's audited acknowledgement that tables without firm information may be
published)."""

from __future__ import annotations

import click

from pipeline.cli.auth import acting_user, needs, who_is
from pipeline.cli.common import echo_json, settings_of
from pipeline.cli.publish import release

ASSESSED = {"firms": "firm records: every rule", "counts": "establishment counts: frequency rule only",
            "none": "no firm information: not assessed"}


def _visible_release(ctx: click.Context, number: int) -> dict:
    from pipeline.core.ops import OpsStore
    from pipeline.core.publication import release as one

    user = acting_user(ctx, "viewer", "read releases")
    rel = one(OpsStore(settings_of(ctx).ops_path), number)
    if rel is None or not (user.staff or rel["status"] == "published"):
        raise click.ClickException(f"There is no published release {number}.")
    return rel


@click.command("disclosure")
@click.argument("number", type=int)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@needs("viewer", "read releases")
def release_disclosure(ctx: click.Context, number: int, as_json: bool) -> None:
    """The disclosure report of a release: the rules, each table's assessment and suppressions, withheld figures."""
    rel = _visible_release(ctx, number)
    report = rel["disclosure"]
    if as_json:
        echo_json({"release": number, "disclosure": report, "acknowledged_by": rel["acknowledged_by"],
                   "acknowledged_at": rel["acknowledged_at"], "acknowledged_note": rel["acknowledged_note"]})
        return
    if report is None:
        click.echo(f"Release {number} was made before disclosure control: its tables are not protected.")
        return
    rules = report["rules"]
    dominance = ", ".join(f"({n}, {k:g}%)" for n, k in rules["dominance"]) or "off"
    click.echo(f"Release {number}: disclosure control. Rules: fewer than {rules['min_contributors']} firms; "
               f"dominance {dominance}; p% {rules['p_percent'] or 'off'}; protection +-{rules['protection']:.0%}.")
    click.echo(f"{'table':<18} {'measure':<14} {'years':<10} {'cells':>6} {'freq':>5} {'dom':>5} {'p%':>4} "
               f"{'flag':>5} {'2nd':>5} {'intv':>5} {'suppr':>6}  {'method':<13} firms known from")
    for t in report["tables"]:
        years = f"{t['first_year']}-{t['last_year']}"
        click.echo(f"{t['table_name']:<18} {t['measure']:<14} {years:<10} {t['cells']:>6} {t['frequency']:>5} "
                   f"{t['dominance']:>5} {t['p_percent']:>4} {t['flagged']:>5} {t['secondary']:>5} {t['interval']:>5} "
                   f"{t['suppressed']:>6}  {t.get('method', 'gauss'):<13} {ASSESSED.get(t['assessed'], t['assessed'])}")
    withheld = {k: v for k, v in report["withheld"].items() if v}
    click.echo("Rows with a withheld figure: " + (", ".join(f"{k} {v}" for k, v in withheld.items()) or "none"))
    leaning = sum(t.get("leans_on_singleton") or 0 for t in report["tables"])
    if leaning:
        click.echo(f"Confidential cells whose certificate moves a one-firm cell (held against everyone but that firm; "
                   f"no other certificate exists): {leaning:,}")
    click.echo("Composite scores and ranks: " + ("withheld (methodology: [disclosure] scores = \"withheld\")"
                                                if report.get("scores") == "withheld" else "published"))
    if report["not_assessed"]:
        if rel["acknowledged_by"]:
            click.echo(f"Not fully assessed ({'; '.join(report['not_assessed'])}); acknowledged by "
                       f"{rel['acknowledged_by']} at {rel['acknowledged_at']}: {rel['acknowledged_note']}")
        else:
            click.echo(f"Not fully assessed ({'; '.join(report['not_assessed'])}); an administrator acknowledges "
                       f"this before the release is approved: clusterstats release acknowledge {number} --note ...")


@click.command("acknowledge")
@click.argument("number", type=int)
@click.option("--note", required=True, help="Why the tables may be published without a full disclosure assessment.")
@click.pass_context
@needs("admin", "acknowledge unassessed disclosure")
def release_acknowledge(ctx: click.Context, number: int, note: str) -> None:
    """Acknowledge that a draft release publishes tables whose disclosure could not be fully assessed (audited)."""
    from pipeline.publishing import acknowledge_release

    rel = acknowledge_release(settings_of(ctx), number, who=who_is(ctx), note=note)
    click.echo(f"Release {number}: {rel['acknowledged_by']} acknowledged publishing "
               f"{'; '.join(rel['disclosure']['not_assessed'])}. It can be approved now.")


def register(cli: click.Group) -> None:
    """Add ``disclosure`` and ``acknowledge`` to the ``release`` group (pipeline.cli.publish registers the group)."""
    release.add_command(release_disclosure)
    release.add_command(release_acknowledge)


__all__ = ["register", "release_acknowledge", "release_disclosure"]
