"""A build's change report (:mod:`pipeline.jobs.changes`) in the reader's language: a one-line summary for the job
history, and tables of new uploads, moved scores and crossed thresholds with names instead of codes."""

from __future__ import annotations

from typing import Any

import polars as pl

from schemas import kind_title
from ui.i18n import band, lang, measure, t


def short_summary(report: dict[str, Any] | None) -> str:
    """'2 new uploads; 19 values revised; 120 scores moved; 6 thresholds crossed' (or no change / first build)."""
    if not report:
        return ""
    if not report.get("compared"):
        return t("report_first")
    if report.get("no_change"):
        return t("report_no_change")
    data = report.get("data", {})
    revised = sum(f.get("revised", 0) + f.get("added", 0) + f.get("removed", 0) for f in data.get("facts", {}).values())
    crossed = sum(x.get("gained", 0) + x.get("lost", 0) + x.get("changed", 0)
                  for x in report.get("thresholds", {}).values())
    parts = [t("report_uploads", n=len(data.get("new_uploads", []))), t("report_values", n=revised),
             t("report_moves", n=report.get("scores", {}).get("total", 0)), t("report_crossings", n=crossed)]
    if report.get("methodology", {}).get("changed"):
        parts.append(t("report_methodology"))
    return "; ".join(parts)


def _kind(k: str) -> str:
    return kind_title(k, lang())


def uploads_frame(report: dict[str, Any]) -> pl.DataFrame:
    rows = [{t("kind"): _kind(u["kind"]), t("vintage"): u["vintage"], t("rows"): u["rows"],
             t("years"): ", ".join(map(str, u.get("years", []))), t("file"): u["file"], t("who"): u["who"],
             t("revision"): t("yes") if u.get("revision") else ""}
            for u in report.get("data", {}).get("new_uploads", [])]
    return pl.DataFrame(rows) if rows else pl.DataFrame()


def explanation(text: str | None, indicator_names: dict[str, str]) -> str:
    """The report's explanation ('Output growth on the previous year -1.38, ... points') with the indicator names
    in the reader's language."""
    if not text:
        return ""
    if lang() == "zh":
        for en, zh in sorted(indicator_names.items(), key=lambda kv: -len(kv[0])):
            text = text.replace(en, zh)
        text = text.replace(" points", " 分")
    return text


def moves_frame(report: dict[str, Any], clusters: dict[str, str], indicator_names: dict[str, str]) -> pl.DataFrame:
    rows = []
    for m in report.get("scores", {}).get("moved", []):
        before, after = m.get("score_before"), m.get("score")
        rows.append({t("cluster"): clusters.get(m["cluster_code"], m["cluster_code"]), t("year"): m["year"],
                     t("before"): before, t("after"): after, t("score_change"): m.get("score_change"),
                     t("rank"): f"{m.get('rank_before') or '–'} → {m.get('rank') or '–'}",
                     t("why"): explanation(m.get("explanation"), indicator_names)})
    return pl.DataFrame(rows) if rows else pl.DataFrame()


def crossings_frame(report: dict[str, Any], names: dict[str, dict[str, str]]) -> pl.DataFrame:
    rows = []
    for key, block in report.get("thresholds", {}).items():
        for item in block.get("items", []):
            category = item.get("category_code")
            where = [names["regions"].get(item.get("region_code"), item.get("region_code")),
                     names["industries"].get(item.get("industry_code"), item.get("industry_code")),
                     t("category_is", category=names.get("categories", {}).get(category, category))
                     if category else None,
                     names["clusters"].get(item.get("cluster_code"), item.get("cluster_code"))]
            if "size_band" in item:
                what = t("report_size_band")
                change = f"{band(item.get('size_band_before'))} → {band(item['size_band'])}"
            else:
                what = t(f"crossing_{key.split('.')[-1]}", measure=measure(item.get("measure", "")))
                change = t("gained") if item.get("change") == "gained" else t("lost")
                if item.get("lq") is not None:
                    change += f" (LQ {item.get('lq_before'):.3f} → {item['lq']:.3f})"
            rows.append({t("year"): item.get("year"), t("what"): what,
                         t("where"): " · ".join(w for w in where if w), t("change"): change})
    return pl.DataFrame(rows) if rows else pl.DataFrame()
