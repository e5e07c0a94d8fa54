"""Which figures a page shows: a published release (what every reader sees), or, for provincial staff, the official
build, the working build or a release not yet published.

Viewers and submitters read published releases only: the app opens on the latest, with a picker of the others.
Staff (uploader and above) open on the official build and may switch to the working build (submissions under
review included) or to any release, a draft or an embargoed one marked so. Every page says which it shows
(:func:`banner`), and every export names it (:func:`source_facts`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from pipeline.core.ops import OpsStore
from pipeline.core.publication import releases
from pipeline.core.settings import Settings
from ui.access import user
from ui.disclosure import footnote
from ui.i18n import local_time, t

KEY = "source"


@dataclass(frozen=True)
class Source:
    """One readable warehouse file and what it is."""

    kind: str  # official, working, release
    path: Path
    release: dict[str, Any] | None = None

    @property
    def key(self) -> str:
        return f"release-{self.release['number']}" if self.release else self.kind


def _local(iso: str | None, timezone: str) -> str:
    return local_time(iso, timezone) if iso else "–"


def all_releases(s: Settings) -> list[dict[str, Any]]:
    """Every release, newest first (not cached: a release is published while the page is open; read without
    migrating the store, which would take its write lock on every page)."""
    return releases(OpsStore(s.ops_path))


def available(s: Settings) -> list[Source]:
    """The sources this user may read, the default first."""
    rels = all_releases(s)
    published = [Source("release", s.data_dir / r["file"], r) for r in rels if r["status"] == "published"]
    if not user().staff:
        return published
    out = [Source("official", s.warehouse_path)]
    working = s.data_dir / "working.duckdb"
    if working.exists():
        out.append(Source("working", working))
    return out + [Source("release", s.data_dir / r["file"], r) for r in rels]


def label(source: Source, timezone: str) -> str:
    if source.release is None:
        return t(f"source_{source.kind}")
    r = source.release
    state = {"published": t("release_state_published", at=_local(r["published_at"], timezone)),
             "approved": t("release_state_embargoed", at=_local(r["publish_at"], timezone)),
             "draft": t("release_state_draft")}[r["status"]]
    return t("release_label", number=r["number"], title=r["title"], state=state)


def chosen(s: Settings) -> Source | None:
    """The sidebar's picker (a ``?release=N`` link preselects it); None when this user may read nothing yet."""
    options = available(s)
    if not options:
        return None
    keys = [o.key for o in options]
    wanted = st.query_params.get("release")
    if KEY not in st.session_state and wanted and f"release-{wanted}" in keys:
        st.session_state[KEY] = f"release-{wanted}"
    if st.session_state.get(KEY) not in keys:
        st.session_state[KEY] = keys[0]
    by_key = {o.key: o for o in options}
    shown = {o.key: label(o, s.timezone) for o in options}  # in this session's language, here in its thread
    with st.sidebar:
        st.selectbox(t("source_picker"), keys, key=KEY, format_func=shown.__getitem__)
    return by_key[st.session_state[KEY]]


def newer_revision(source: Source, rels: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The newest published release that revises this one (directly or through other revisions)."""
    if source.release is None:
        return None
    revisers = {source.release["number"]}
    newest = None
    for r in sorted(rels, key=lambda r: r["number"]):
        if r["revises"] in revisers and r["status"] == "published":
            revisers.add(r["number"])
            newest = r
    return newest


def banner(source: Source, s: Settings) -> None:
    """What the page shows: the release (number, title, publication), embargoed or draft, or an internal build."""
    r = source.release
    if r is None:
        if source.kind == "working":
            st.warning(t("source_working_banner"), icon=":material/construction:")
        else:
            st.warning(t("source_official_banner"), icon=":material/lock:")
        return
    text = t("release_banner", number=r["number"], title=r["title"], year=r["reference_year"] or "–",
             at=_local(r["published_at"] or r["publish_at"], s.timezone))
    if r["status"] == "published":
        st.info(text, icon=":material/verified:")
    else:
        st.warning(text + " " + (t("release_embargo_banner", at=_local(r["publish_at"], s.timezone))
                                 if r["status"] == "approved" else t("release_draft_banner")),
                   icon=":material/lock_clock:")
    footnote(source)
    unassessed = (r.get("disclosure") or {}).get("not_assessed") or []
    if unassessed and r.get("acknowledged_by"):
        st.caption(t("disclosure_unassessed", tables="; ".join(unassessed), who=r["acknowledged_by"],
                     note=r.get("acknowledged_note") or ""))
    if r["revises"]:
        st.caption(t("release_revises", number=r["revises"], note=r["revision_note"] or ""))
    newer = newer_revision(source, all_releases(s))
    if newer is not None:
        st.warning(t("release_newer", number=newer["number"], note=newer["revision_note"] or ""),
                   icon=":material/update:")


def status_text(source: Source | None, build: dict[str, Any] | None, timezone: str) -> str:
    """One line saying what a page's figures are, for the top of every exported page and sheet: the release and its
    state (published, embargoed, draft) or an internal build, and "synthetic" for demo data."""
    parts = []
    if source is not None and source.release is not None:
        r = source.release
        state = {"published": t("release_state_published", at=_local(r["published_at"], timezone)),
                 "approved": t("release_state_embargoed", at=_local(r["publish_at"], timezone)),
                 "draft": t("release_state_draft")}[r["status"]]
        parts.append(t("status_release", number=r["number"], state=state))
    elif source is not None:
        parts.append(t(f"status_internal_{source.kind}"))
    if (build or {}).get("demo_data"):
        parts.append(t("status_synthetic"))
    return " · ".join(parts)


def source_facts(source: Source | None, timezone: str) -> list[tuple[str, str]]:
    """The release (or internal build) a page's figures come from, for its provenance and its exports."""
    if source is None:
        return []
    if source.release is None:
        return [(t("prov_release"), t(f"source_{source.kind}"))]
    r = source.release
    return [(t("prov_release"), t("release_label", number=r["number"], title=r["title"],
                                  state=r["status"] if r["status"] != "published" else
                                  t("release_state_published", at=_local(r["published_at"], timezone))))]


__all__ = ["Source", "all_releases", "available", "banner", "chosen", "label", "newer_revision", "source_facts",
           "status_text"]
