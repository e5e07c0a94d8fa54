"""The demo's releases: release 1 frozen from the first build, and release 2, which revises it after the audited
corrections of the second build; both approved (by a second, synthetic name: four eyes hold in the demo too) and
published at once, so the app opens with a release picker, a calendar and a revision listing the figures that moved.
Run again, the demo finds them and makes none."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from pipeline.core.ops import OpsStore
from pipeline.core.publication import publish_due, release
from pipeline.core.settings import Settings
from pipeline.publishing import acknowledge_release, approve_release, create_release
from warehouse.queries import score_years

CREATOR, APPROVER = "demo", "demo reviewer"
ACKNOWLEDGEMENT = ("演示数据：增加值、工资和出口只有单位数，未评估支配规则；集群自身指标未作保密审查 "
                   "(synthetic demo data: value added, wages and exports carry establishment counts only, the "
                   "dominance rule was not assessed; the named clusters' own indicators were not assessed)")


def demo_release(settings: Settings, number: int) -> Iterator[str]:
    """Create, approve and publish demo release ``number`` (1: the first build; 2: its revision) unless it exists."""
    store = OpsStore(settings.ops_path)
    store.migrate()
    if release(store, number) is not None or (number > 1 and release(store, number - 1) is None):
        return
    years = score_years(settings.warehouse_path)
    year = max(years) if years else None
    now = datetime.now(UTC)
    title = f"{year or ''}年度产业集群评价（演示数据{'' if number == 1 else '，修订'}）"
    rel = create_release(settings, title=title, reference_year=year, who=CREATOR,
                         publish_at=(now - timedelta(minutes=1)).isoformat(timespec="seconds"),
                         revises=number - 1 if number > 1 else None,
                         note="演示：审核后的更正数据（见变更报告）" if number > 1 else None)
    disclosure = rel["disclosure"] or {}
    if disclosure.get("not_assessed"):  # single-user demo: the administrator's acknowledgement, audited as always
        acknowledge_release(settings, rel["number"], who=APPROVER, note=ACKNOWLEDGEMENT)
    approve_release(settings, rel["number"], who=APPROVER)
    publish_due(store, now, who=CREATOR)
    moved = ""
    if rel["changes"]:
        figures = rel["changes"]["figures"]
        moved = (f"; it revises release {rel['revises']}: {figures['figures']} figures moved in "
                 f"{len(figures['tables'])} tables")
    suppressed = sum(t["suppressed"] for t in disclosure.get("tables", []))
    yield (f"Release {rel['number']} published ({rel['title']}, build {rel['build_id']}){moved}; disclosure "
           f"control suppressed {suppressed} cells.")


__all__ = ["demo_release"]
