"""The download row of the scorecard and the region profile: an Excel workbook and a printable HTML report, both
in the reader's language and built only when asked for.

Everything language-dependent is decided in the script's thread (a :class:`Report` of translated frames and
labels); the files are made from it by :func:`report_xlsx` and :func:`report_html` when the button is clicked,
on a thread that cannot read the session (so they never call ``t``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl
import streamlit as st

from pipeline.core.formatting import header, interval
from pipeline.reports.exports import chart_png, xlsx_bytes
from pipeline.reports.printable import Facts, Image, Section, Table, Text, html_report
from ui import components as c
from ui.components import Page
from ui.i18n import band, category, currency, lang, name_of, t, tier


@dataclass
class Report:
    """A report in one language: facts, then (heading, frame, chart spec) sections, then where it comes from."""

    title: str
    subtitle: str
    lang: str
    facts: list[tuple[str, Any] | tuple[str, Any, str]]  # (label, value) or (label, number, figure kind)
    provenance: list[tuple[str, str]]
    sections: list[tuple[str, pl.DataFrame, dict[str, Any] | None]] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=dict)  # column -> figure kind (pipeline.core.formatting)
    status: str | None = None  # release and state, or internal; synthetic
    about_sheet: str = "About"
    facts_heading: str = ""
    provenance_heading: str = ""
    banner: str | None = None
    empty_text: str = "–"

    def add(self, heading: str, frame: pl.DataFrame | None, chart: Any = None, kinds: dict[str, str] | None = None
            ) -> None:
        """A section: its table (``kinds``: its columns' figure kinds where the inference would not know) and its
        chart."""
        spec = chart.to_dict() if chart is not None else None
        self.sections.append((heading, frame if frame is not None else pl.DataFrame(), spec))
        self.kinds.update(kinds or {})


def report_xlsx(r: Report) -> bytes:
    sheets = {heading: frame for heading, frame, _ in r.sections if frame.width}
    return xlsx_bytes(sheets, about=[(r.title, r.subtitle), *r.facts, *r.provenance], about_sheet=r.about_sheet,
                      kinds=r.kinds, status=r.status)


def report_html(r: Report) -> str:
    sections = [Section(r.facts_heading, [Facts(r.facts)])]
    for heading, frame, spec in r.sections:
        parts: list[Any] = []
        if spec is not None:
            try:
                parts.append(Image(chart_png(spec, status=r.status), heading))
            except Exception:  # a report without its chart beats no report
                parts.append(Text("(chart image unavailable)"))
        parts.append(Table(frame, kinds=r.kinds) if frame.height else Text(r.empty_text))
        sections.append(Section(heading, parts))
    sections.append(Section(r.provenance_heading, [Facts(r.provenance)]))
    return html_report(title=r.title, subtitle=r.subtitle, lang=r.lang, banner=r.banner, sections=sections,
                       footer=" · ".join(f"{k}: {v}" for k, v in r.provenance), status=r.status)


def new_report(page: Page, title: str, subtitle: str, facts: list[tuple[str, Any] | tuple[str, Any, str]]
               ) -> Report:
    return Report(title=title, subtitle=subtitle, lang=lang(), facts=facts, provenance=c.build_facts(page),
                  about_sheet=t("about_sheet"), facts_heading=t("summary"), provenance_heading=t("provenance"),
                  banner=t("synthetic_banner") if page.build.get("demo_data") else None, empty_text=t("none_shown"),
                  status=page.status() or None)


def download_row(report: Report, *, stem: str, key: str) -> None:
    cols = st.columns([1, 1.5, 3.5])
    with cols[0]:
        c.download_xlsx(t("download_xlsx"), lambda: report_xlsx(report), file_name=f"{stem}-{report.lang}.xlsx",
                        key=f"{key}_xlsx")
    with cols[1]:
        c.download_html(t("download_html"), lambda: report_html(report), file_name=f"{stem}-{report.lang}.html",
                        key=f"{key}_html")


def scorecard_facts(page: Page, head: dict[str, Any], code: str, year: int) -> list[tuple[str, Any] | tuple[str, Any,
                                                                                                       str]]:
    """The scorecard's summary lines; figures as numbers with their kind (stored as numbers in the workbook, the
    unit in the label)."""
    regions = page.names("regions")
    language = lang()
    money, persons = ("money_100m", "persons") if language == "zh" else ("money_bn", "persons")
    return [
        (t("cluster"), f"{name_of(head)} ({code})"), (t("year"), year, "year"), (t("tier"), tier(head["tier"])),
        (t("category"), category(head["category"])),
        (t("lead_region"), regions.get(head["lead_region"], head["lead_region"])),
        (t("size_band"), band(head["size_band"])), (t("score"), head["score"], "score"),
        (t("rank"), head["rank"], "rank"), (t("n_ranked"), head["n_ranked"], "count"),
        (t("rank_interval"), interval(head["rank_low"], head["rank_high"], "rank", language)),
        (header(t("output"), money, language, currency=currency()), head["output_value"], money),
        (header(t("employment"), persons, language), head["employment"], persons),
    ]


#: the figure kinds of the scorecard's columns, by their (translated) headers
def scorecard_kinds() -> dict[str, str]:
    return {t("score"): "score", t("median"): "score", t("peer_mean"): "score", t("weight"): "share",
            t("coverage"): "share", t("normalised"): "score", t("percentile"): "percentile", t("lq"): "index",
            "HHI": "concentration", "CR4": "concentration", t("hhi_normalised"): "concentration",
            t("equivalent_number"): "index", t("rank"): "rank", t("year"): "year", t("points"): "index"}


def scorecard_report(page: Page, head: dict[str, Any], code: str, year: int, bundle: dict[str, pl.DataFrame],
                     frames: dict[str, Any], charts: dict[str, Any]) -> Report:
    """The scorecard as a report: the sections the page shows, in its language, with its charts."""
    report = new_report(page, t("scorecard_export_title", name=name_of(head), year=year), f"{code} · {year}",
                        scorecard_facts(page, head, code, year))
    steps, lq = frames["steps"], frames["lq"]
    report.kinds.update(scorecard_kinds())
    report.add(t("sheet_pillars"), frames["pillars"], charts["pillars"])
    report.add(t("sheet_indicators"), frames["indicators"])
    report.add(t("strengths_weaknesses"), frames["strengths"])
    report.add(t("sheet_change"), steps.drop("kind").rename({"label": t("step"), "value": t("points")})
               if steps is not None else None, charts["change"])
    report.add(t("sheet_report"), frames["items"])
    report.add(t("sheet_trend"), bundle["trend"].select(pl.col("year").alias(t("year")),
                                                        pl.col("score").alias(t("score")),
                                                        pl.col("rank").alias(t("rank"))), charts["trend"])
    report.add(t("lq_by_city"), lq.select(pl.col("city").alias(t("city")), pl.col("lq").alias(t("lq")))
               if lq.height else None)
    report.add(t("firm_concentration"), frames["firms"])
    report.add(t("sheet_sources"), c.uploads_table(bundle["provenance"], page.settings.timezone))
    return report
