"""The release page's disclosure parts (issue 17): a release's disclosure report (per table and measure: how its
firms were known, how many cells each rule suppressed, secondary cells, figures withheld) and, for a draft with a
table not fully assessed, the administrator's acknowledgement (with its reason, audited) that approval waits on."""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from pipeline.core.settings import Settings
from ui.i18n import lang, measure, t
from ui.labels import LABELS
from ui.tables import data_table


def table_title(name: str) -> str:
    """A warehouse table or upload kind by its title in the reader's language (its internal name when it has none)."""
    from schemas import KINDS, kind_title

    if name in KINDS:
        return kind_title(name, lang())
    return t(f"table_{name}") if f"table_{name}" in LABELS else name


def report_frame(rel: dict[str, Any]) -> pl.DataFrame:
    """One row per table and measure of the release's disclosure report (empty: made before disclosure control)."""
    rep = rel.get("disclosure") or {}
    rows = [{t("col_table"): table_title(r["table_name"]), t("measure"): measure(r["measure"]),
             t("period"): f"{r['first_year']}–{r['last_year']}",
             t("disclosure_assessed"): t(f"assessed_{r['assessed']}"), t("disclosure_cells"): r["cells"],
             t("rule_frequency"): r["frequency"], t("rule_dominance"): r["dominance"],
             t("rule_p_percent"): r["p_percent"], t("rule_flagged"): r["flagged"],
             t("rule_secondary"): r["secondary"], t("disclosure_suppressed"): r["suppressed"],
             t("disclosure_method"): ", ".join(t(f"method_{m}") for m in r.get("method", "gauss").split(", "))}
            for r in rep.get("tables", [])]
    return pl.DataFrame(rows) if rows else pl.DataFrame()


def report_section(rel: dict[str, Any]) -> None:
    """The disclosure report of one release, in an expander."""
    frame = report_frame(rel)
    with st.expander(t("disclosure_report", number=rel["number"]), icon=":material/shield_lock:"):
        if frame.is_empty():
            st.caption(t("disclosure_none"))
            return
        data_table(frame, hide_index=True, key=f"disclosure_{rel['number']}")
        withheld = {k: v for k, v in rel["disclosure"]["withheld"].items() if v}
        st.caption(t("disclosure_withheld", tables=("、" if lang() == "zh" else ", ").join(
            f"{table_title(k)} {v:,}" for k, v in withheld.items()) or "–"))
        leaning = sum(r.get("leans_on_singleton") or 0 for r in rel["disclosure"]["tables"])
        if leaning:
            st.caption(t("disclosure_leaning", n=f"{leaning:,}"))
        if rel["disclosure"].get("scores") == "withheld":
            st.caption(t("disclosure_scores_withheld"))


def acknowledge_form(s: Settings, rel: dict[str, Any], who: str, *, admin: bool) -> None:
    """For a draft whose tables were not all fully assessed: the acknowledgement (administrators) or a note that
    approval waits for it."""
    from pipeline.publishing import ReleaseError, acknowledge_release

    unassessed = (rel.get("disclosure") or {}).get("not_assessed") or []
    if not unassessed or rel["status"] != "draft":
        return
    if rel.get("acknowledged_by"):
        st.caption(t("disclosure_unassessed", tables="; ".join(unassessed), who=rel["acknowledged_by"],
                     note=rel.get("acknowledged_note") or ""))
        return
    st.warning(t("disclosure_needs_ack", number=rel["number"], tables="; ".join(unassessed)), icon=":material/warning:")
    if not admin:
        return
    note = st.text_input(t("disclosure_ack_note"), key=f"ack_note_{rel['number']}")
    if st.button(t("disclosure_ack"), key=f"ack_{rel['number']}", icon=":material/task_alt:"):
        try:
            acknowledge_release(s, rel["number"], who=who, note=note)
            st.session_state["release_done"] = t("disclosure_acked", number=rel["number"])
            st.rerun()
        except ReleaseError as exc:
            st.error(str(exc))


__all__ = ["acknowledge_form", "report_frame", "report_section"]
