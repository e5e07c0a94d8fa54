"""Methodology changes in the app: the preview of an edited copy (how ranks would move), proposing it as a named
version, and the proposals waiting for a second administrator, each with its diff and its rank moves."""

from __future__ import annotations

import polars as pl
import streamlit as st

from pipeline.core.errors import ClusterstatsError
from pipeline.core.settings import Settings
from pipeline.scoring import Methodology
from ui import charts, data
from ui import components as c
from ui.i18n import t
from ui.preview import preview_scores, rank_moves


def preview_moves(page: c.Page, edited: Methodology, *, key: str = "methodology") -> None:
    """Score the page's build under ``edited`` (in memory) and show how each cluster's rank would move."""
    year = page.years[0] if page.years else None
    if year is None:
        st.info(t("no_scores"))
        return
    inputs = data.scoring_inputs(page.path, page.build_id)
    current = data.ranking(page.path, page.build_id, year).select("cluster_code", "score", "rank") \
        .with_columns(pl.lit(year, dtype=pl.Int64).alias("year"))
    moves = rank_moves(current, preview_scores(inputs, edited), year)
    names = page.names("clusters")
    moved = moves.filter(pl.col("move").fill_null(0) != 0)
    k = st.columns(3)
    k[0].metric(t("preview_moved"), f"{moved.height} / {moves.height}")
    k[1].metric(t("preview_up"), f"{moves.get_column('move').max() or 0:+d}")
    k[2].metric(t("preview_down"), f"{moves.get_column('move').min() or 0:+d}")
    shown = moves.select(c.named("cluster_code", names).alias(t("cluster")), pl.col("rank").alias(
        t("rank_live")), pl.col("preview_rank").alias(t("rank_preview")), pl.col("move").alias(t("move")),
        pl.col("score").alias(t("score_live")), pl.col("preview_score").alias(t("score_preview")))
    left, right = st.columns([3, 2])
    left.dataframe(shown, hide_index=True, height=380, key=f"{key}_moves", column_config={
        t("move"): st.column_config.NumberColumn(format="%+d"),
        t("score_live"): st.column_config.NumberColumn(format="%.2f"),
        t("score_preview"): st.column_config.NumberColumn(format="%.2f")})
    with right:
        charts.show(charts.hbar(moves.drop_nulls("move").filter(pl.col("move") != 0).head(20).with_columns(
            c.named("cluster_code", names).alias("cluster")), x="move", y="cluster", x_title=t("move"),
            y_title=t("cluster"), title=t("preview_chart", year=year), fmt="+d"),
            name=f"preview-{edited.hash}", png=False)
    st.caption(t("preview_caption", hash=edited.hash))


def propose_version(s: Settings, text: str, name: str, *, who: str) -> None:
    """Propose the edited copy as a named version (applied at once in single-user mode)."""
    from pipeline.publishing.methodology import propose

    try:
        p = propose(s, text, name=name, who=who)
    except ClusterstatsError as exc:
        st.error(str(exc))
        return
    if p["status"] == "approved":
        st.success(t("saved_version", hash=p["hash"]))
    else:
        st.success(t("proposed_version", hash=p["hash"], name=p["name"]))


def approved_names(s: Settings) -> dict[str, str]:
    """version hash -> "name (proposed by A, approved by B)" of every approved proposal."""
    from pipeline.publishing.methodology import proposals

    return {p["hash"]: t("version_named", name=p["name"], by=p["proposed_by"], approved=p["decided_by"])
            for p in reversed(proposals(s, status="approved"))}


def proposals_section(page: c.Page, who: str, *, can_decide: bool) -> None:
    """Proposals waiting for a second administrator: name, who, the diff, the rank moves, approve or reject."""
    from pipeline.publishing.methodology import ProposalError, approve, diff, proposals, reject

    s = page.settings
    waiting = proposals(s, status="proposed")
    st.markdown(f"**{t('proposals_title', n=len(waiting))}**")
    for p in waiting:
        with st.expander(t("proposal_line", id=p["id"], name=p["name"], who=p["proposed_by"], hash=p["hash"])):
            st.code(diff(s, p["id"]) or t("proposal_no_diff"), language="diff")
            if st.button(t("preview"), key=f"proposal_preview_{p['id']}", icon=":material/preview:"):
                preview_moves(page, Methodology.from_text(p["text"]), key=f"proposal_{p['id']}")
            if not can_decide:
                continue
            comment = st.text_input(t("review_comment"), key=f"proposal_comment_{p['id']}")
            left, right = st.columns(2)
            try:
                if left.button(t("proposal_approve"), key=f"proposal_approve_{p['id']}", type="primary"):
                    approve(s, p["id"], who=who)
                    st.success(t("proposal_approved", id=p["id"], hash=p["hash"]))
                if right.button(t("proposal_reject"), key=f"proposal_reject_{p['id']}"):
                    reject(s, p["id"], who=who, comment=comment)
                    st.success(t("proposal_rejected", id=p["id"]))
            except ProposalError as exc:
                st.error(str(exc))


__all__ = ["approved_names", "preview_moves", "propose_version", "proposals_section"]
