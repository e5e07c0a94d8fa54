"""A release's bulletin as one JSON-able document (:func:`document`): title block, status line, headline
paragraphs and table, ranking, a section per city, charts, notes and annex, every text final.

The status line is printed on every page: published (number and date), embargoed (approved, with the embargo
time) or draft, plus the synthetic-data label when the build was made from demo data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from pipeline.core.formatting import figure, header, missing_sign
from pipeline.core.ops import OpsStore
from pipeline.core.settings import Settings
from pipeline.publishing.bulletin.content import (
    TOP,
    Look,
    Table,
    change_words,
    headline_table,
    local_date,
    measure_title,
    name_in,
    ranking_table,
    units_of,
    words,
)
from schemas import kind_title
from schemas.vocabulary import token_name


def _currency(path: Path) -> str:
    from warehouse import queries as q

    units = q.run(path, "ui_measure_units")
    money = units.filter(pl.col("dimension") == "money")
    return str(money.get_column("unit")[0]) if money.height else "yuan"


def _status(rel: dict[str, Any], synthetic: bool, w: dict[str, Any], lang: str) -> tuple[str, str]:
    """(status kind, the line printed on every page)."""
    tz = rel["timezone"]
    when = local_date(rel["published_at"] or rel["publish_at"], tz, w, lang)
    kind = rel["status"] if rel["status"] in ("published", "approved") else "draft"
    line = w["status"][kind].format(number=rel["number"], date=when)
    if synthetic:
        line += " · " + w["status"]["synthetic"]
    return kind, line


def _city_sections(path: Path, ranking: pl.DataFrame, regions: pl.DataFrame, year: int, levels: dict[str, str],
                   w: dict[str, Any], lang: str, currency: str, symbol: str
                   ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """(a section per city, the annex table of every city's strong categories: employment and LQ, the release's
    symbol where it withheld a figure)."""
    from warehouse import queries as q

    tx = w["text"]
    money, persons = units_of(lang)
    cities = regions.filter(pl.col("level") == levels["region_level"]).sort("ord", "code")
    requests = {r["code"]: ("ui_region_categories", {"region": r["code"], "year": year, **levels})
                for r in cities.iter_rows(named=True)}
    categories = q.run_many(path, requests) if requests else {}
    out = []
    strong_rows: list[list[str]] = []
    for city in cities.iter_rows(named=True):
        name = name_in(city, lang)
        led = ranking.filter(pl.col("lead_region") == city["code"]).sort("rank")
        if led.height:
            best = led.row(0, named=True)
            para = tx["city"].format(
                city=name, n=figure(led.height, "count", lang),
                output=figure(led.get_column("output_value").sum(), money, lang, currency=currency),
                employment=figure(led.get_column("employment").sum(), persons, lang),
                best=name_in(best, lang), rank=figure(best["rank"], "rank", lang),
                score=figure(best["score"], "score", lang))
        else:
            para = tx["city_none"].format(city=name)
        cats = categories.get(city["code"], pl.DataFrame())
        strong = cats.filter(pl.col("strong").fill_null(False)) if cats.height else cats
        if strong.height:
            top = strong.sort("lq", descending=True, nulls_last=True).head(3)
            items = [tx["category_item"].format(
                name=name_in(r, lang), lq=figure(r["lq"], "index", lang, suppressed=bool(r["suppressed"]),
                                                symbol=symbol)) for r in top.iter_rows(named=True)]
            strong_text = tx["city_strong"].format(n_strong=figure(strong.height, "count", lang),
                                                   top=tx["top_sep"].join(items))
        else:
            strong_text = tx["city_strong_none"]
        out.append({"name": name, "code": city["code"], "paragraphs": [para, strong_text]})
        for r in strong.sort("lq", descending=True, nulls_last=True).iter_rows(named=True) if strong.height else []:
            withheld = bool(r["suppressed"])
            strong_rows.append([name, name_in(r, lang),
                                figure(r["employment"], "persons", lang, unit=False, suppressed=withheld,
                                       symbol=symbol),
                                figure(r["lq"], "index", lang, suppressed=withheld, symbol=symbol)])
    tw = w["table"]
    annex = Table([tw["city_name"], tw["category"], header(tw["employment"], "persons", lang), tw["lq"]],
                  [False, False, True, True], strong_rows)
    return out, annex.as_dict()


def _notes(rel: dict[str, Any], m: Any, samples: int, w: dict[str, Any], lang: str, store: OpsStore,
           symbol: str) -> dict[str, list[str]]:
    tx = w["text"]
    top_level = m.levels[-1]
    definitions = [text.format(
        methodology=(m.name_zh or m.name) if lang == "zh" else (m.name or m.name_zh),
        indicators=figure(len(m.indicators), "count", lang),
        pillars=figure(sum(1 for a in m.aggregates if a.parent is not None), "count", lang),
        normalisation=token_name(m.levels[0].normalisation, lang), weighting=token_name(top_level.weights, lang),
        aggregation=token_name(top_level.aggregation, lang),
        lq_percentile=f"{m.indices.strong_lq_percentile:g}", size_percentile=f"{m.indices.strong_size_percentile:g}",
        spread=figure(m.uncertainty.weight_spread, "share", lang).replace(".0%", "%"),
        samples=figure(samples, "count", lang)) for text in tx["definitions"]]
    rep = rel.get("disclosure")
    if rep and rep.get("tables"):
        rules = rep["rules"]
        cells = sum(int(t.get("suppressed", 0)) for t in rep["tables"])
        dominance = ("、" if lang == "zh" else ", ").join(
            (f"{n}家{k:g}%" if lang == "zh" else f"{n} firms {k:g}%") for n, k in rules["dominance"])
        disclosure = [tx["disclosure"].format(symbol=symbol, min_contributors=rules["min_contributors"],
                                              dominance=dominance or missing_sign(lang),
                                              cells=figure(cells, "count", lang), missing=missing_sign(lang))]
    else:
        disclosure = [tx["disclosure_none"].format(missing=missing_sign(lang))]
    revision: list[str] = []
    if rel.get("revises"):
        from pipeline.core.publication import release as one

        old = one(store, rel["revises"]) or {}
        figures = ((rel.get("changes") or {}).get("figures") or {}).get("figures", 0)
        revision = [tx["revision"].format(revises=rel["revises"], note=rel.get("revision_note") or missing_sign(lang),
                                          date=local_date(old.get("published_at"), rel["timezone"], w, lang),
                                          figures=figure(figures, "count", lang))]
    sources = [tx["sources"]] + [
        tx["source_item"].format(kind=kind_title(u["kind"], lang), vintage=u["vintage"], sha=u["sha256"][:12])
        for u in rel["uploads"]]
    return {"definitions": definitions + [tx["rounding"]], "disclosure": disclosure, "revision": revision,
            "sources": sources}


def document(settings: Settings, rel: dict[str, Any], lang: str, look: Look) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the bulletin's document, the raw figures it printed: for the tests and the charts)."""
    from pipeline.jobs.methodologies import archive_dir
    from pipeline.publishing.releases import release_path
    from pipeline.scoring.methodology import Methodology
    from warehouse import queries as q

    path = release_path(settings, rel)
    w = words(look, lang)
    info = q.build_info(path) or {}
    year = rel["reference_year"] or max(q.score_years(path))
    levels = q.levels(path) or {"region_level": "city", "industry_level": "division"}
    ov = q.overview(path, year, "employment", **levels)
    kpis = ov["kpis"].row(0, named=True)
    ranking = ov["ranking"].sort("rank", nulls_last=True)
    regions = q.dictionaries(path)["regions"]
    province_row = regions.filter(pl.col("level") == "province")
    province = name_in(province_row.row(0, named=True), lang) if province_row.height else ""
    currency = _currency(path)
    m = Methodology.from_toml(archive_dir(settings) / f"{rel['methodology_hash']}.toml")
    store = OpsStore(settings.ops_path)
    rules = (rel.get("disclosure") or {}).get("rules", {})
    symbol = rules.get("symbol_zh", "保密") if lang == "zh" else rules.get("symbol", "D")
    synthetic = bool(info.get("demo_data"))
    status, status_line = _status(rel, synthetic, w, lang)
    money, persons = units_of(lang)
    tx = w["text"]
    samples = int(ranking.get_column("samples").max() or 0) if ranking.height else 0
    totals = ov.get("totals", pl.DataFrame(schema={"measure": pl.String, "total": pl.Float64,
                                                   "total_previous": pl.Float64}))
    by_measure = {r["measure"]: r for r in totals.iter_rows(named=True)}
    overview = [tx["overview"].format(
        year=year, clusters=figure(kpis["clusters"], "count", lang), emerging=figure(kpis["emerging"], "count", lang),
        output=figure(kpis["output_value"], money, lang, currency=currency),
        output_change=change_words(kpis["output_value"], kpis["output_value_prev"], w, lang),
        employment=figure(kpis["employment"], persons, lang),
        employment_change=change_words(kpis["employment"], kpis["employment_prev"], w, lang),
        scored=figure(kpis["scored"], "count", lang), median=figure(kpis["median_score"], "score", lang))]
    if {"output_value", "employment"} <= set(by_measure):
        o, e = by_measure["output_value"], by_measure["employment"]
        overview.append(tx["economy"].format(
            measure_output=measure_title("output_value", lang), measure_employment=measure_title("employment", lang),
            province_output=figure(o["total"], money, lang, currency=currency),
            province_output_change=change_words(o["total"], o["total_previous"], w, lang),
            province_employment=figure(e["total"], persons, lang),
            province_employment_change=change_words(e["total"], e["total_previous"], w, lang)))
    cities, annex_strong = _city_sections(path, ranking, regions, year, levels, w, lang, currency, symbol)
    top3 = [tx["top_item"].format(name=name_in(r, lang), score=figure(r["score"], "score", lang))
            for r in ranking.head(3).iter_rows(named=True)]
    published = local_date(rel["published_at"] or rel["publish_at"], rel["timezone"], w, lang)
    from pipeline.jobs.methodologies import version_label

    release_text = tx["release"].format(
        number=rel["number"], published=published, build=rel["build_id"],
        methodology=version_label(settings, rel["methodology_hash"], lang), code_version=rel["code_version"])
    notes = _notes(rel, m, samples, w, lang, store, symbol)
    doc = {
        "lang": lang, "year": year, "number": rel["number"], "status": status, "status_line": status_line,
        "synthetic": synthetic, "synthetic_text": tx["synthetic"] if synthetic else "",
        "title": w["title"].format(year=year, province=province), "number_line": w["number"].format(
            number=rel["number"]),
        "issuer": look.issuer, "date": published,
        "revision_line": w["status"]["revision"].format(revises=rel["revises"]) if rel.get("revises") else "",
        "headings": w["headings"], "overview": overview,
        "headline": headline_table(kpis, totals, year, w, lang, currency).as_dict(),
        "ranking_text": [tx["ranking"].format(top=tx["top_sep"].join(top3), samples=figure(samples, "count", lang))],
        "ranking": ranking_table(ranking.head(TOP), w, lang).as_dict(),
        "annex": ranking_table(ranking, w, lang).as_dict(),
        "cities": cities, "annex_strong": annex_strong,
        "notes": notes, "release_text": release_text,
        "fonts": {"title": look.title_font, "heading": look.heading_font, "body": look.body_font},
    }
    raw = {"kpis": kpis, "ranking": ranking, "currency": currency, "year": year, "totals": totals, "words": w}
    return doc, raw


__all__ = ["Table", "document"]
