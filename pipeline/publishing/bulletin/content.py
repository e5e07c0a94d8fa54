"""What a release's bulletin says, in one language, as plain data: every sentence written from the wording file
(``templates/words-{lang}.toml``, or the bureau's copy), every figure formatted by :mod:`pipeline.core.formatting`.
The Word and the PDF templates only lay it out, so the two say the same thing to the digit.

Figures come from the release's frozen file through the same queries as the app (:mod:`warehouse.queries`): the
headline from ``overview_kpis`` and ``ui_province_totals``, the ranking from ``ui_ranking``, each city from
``ui_region_categories``; a figure the release withheld prints as its disclosure symbol.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl

from pipeline.core.formatting import display_width, figure, header, interval, missing_sign
from pipeline.core.settings import Settings
from schemas import KINDS
from schemas.vocabulary import token_name

TEMPLATES = Path(__file__).with_name("templates")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
#: clusters in the ranking table of the body (the annex lists every one)
TOP = 20


@dataclass(frozen=True)
class Look:
    """The bureau's choices for its bulletins (``<data dir>/bulletin/bulletin.toml``): issuer line, fonts (title,
    heading, body; open Noto CJK fonts by default) and folders of font files; templates in the same folder replace
    the built-in ones of the same name."""

    folder: Path
    issuer: str = ""
    title_font: str = "Noto Serif CJK SC"
    heading_font: str = "Noto Sans CJK SC"
    body_font: str = "Noto Serif CJK SC"
    font_paths: tuple[str, ...] = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/noto")

    @classmethod
    def of(cls, settings: Settings) -> Look:
        folder = settings.data_dir / "bulletin"
        path = folder / "bulletin.toml"
        if not path.is_file():
            return cls(folder=folder)
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
        fonts = raw.get("fonts", {})
        base = cls(folder=folder)
        return cls(folder=folder, issuer=str(raw.get("issuer", "")),
                   title_font=str(fonts.get("title", base.title_font)),
                   heading_font=str(fonts.get("heading", base.heading_font)),
                   body_font=str(fonts.get("body", base.body_font)),
                   font_paths=tuple(str(p) for p in fonts.get("paths", [])) + base.font_paths)

    def template(self, name: str) -> Path:
        """The bureau's file of that name when it has one, else the built-in template."""
        own = self.folder / name
        return own if own.is_file() else TEMPLATES / name


def words(look: Look, lang: str) -> dict[str, Any]:
    with look.template(f"words-{lang}.toml").open("rb") as fh:
        return tomllib.load(fh)


def local_date(iso: str | None, tz: str, w: dict[str, Any], lang: str) -> str:
    if not iso:
        return missing_sign(lang)
    moment = datetime.fromisoformat(iso).astimezone(ZoneInfo(tz))
    return w["date_format"].format(y=moment.year, m=moment.month, d=moment.day, month=MONTHS[moment.month - 1])


def units_of(lang: str) -> tuple[str, str]:
    """(money kind, persons kind) of the bulletin: 亿元 and 万人 in Chinese, bn yuan and persons in English."""
    return ("money_100m", "persons_10k") if lang == "zh" else ("money_bn", "persons")


def change_words(now: float | None, before: float | None, w: dict[str, Any], lang: str) -> str:
    if now is None or before is None or before == 0:
        return w["text"]["change_none"]
    rate = now / before - 1
    text = figure(abs(rate), "share", lang)
    if text == figure(0.0, "share", lang):
        return w["text"]["change_flat"]
    return w["text"]["change_up" if rate > 0 else "change_down"].format(value=text)


def rate_text(now: float | None, before: float | None, lang: str) -> str:
    return figure(None if now is None or not before else now / before - 1, "growth", lang)


def name_in(row: dict[str, Any], lang: str, key: str = "name") -> str:
    return (row.get(key) or row.get(f"{key}_en") or "") if lang == "zh" else \
        (row.get(f"{key}_en") or row.get(key) or "")


@dataclass(frozen=True)
class Table:
    """A table as the templates draw it: headers, which columns are numbers (right-aligned), rows of text."""

    columns: list[str]
    numeric: list[bool]
    rows: list[list[str]]
    note: str = ""

    def widths(self, total_em: float = 42.0) -> list[float]:
        """Column widths in em of the tables' text (``total_em``: the A4 text block, 156 mm, at 10.5 pt). A number
        column is as wide as its widest figure (its header wraps rather than widening it); the text columns share
        the rest in proportion to their longest text, each at least as wide as its longest word (Latin words do
        not break; Chinese text may break between any two characters, so four characters are its "word"), so
        that no name wraps one character a line. Widths count half-width cells (CJK characters count two)."""
        cell = 0.55  # em per half-width cell at this size (a CJK character: two cells, 1.1 em with its spacing)
        out: list[float | None] = []
        wanted: dict[int, float] = {}
        least: dict[int, float] = {}
        for i, numeric in enumerate(self.numeric):
            if numeric:
                widest = max([display_width(r[i]) for r in self.rows] + [min(display_width(self.columns[i]), 7)])
                out.append(round(widest * cell + 1.0, 2))
                continue
            texts = [self.columns[i]] + [r[i] for r in self.rows]
            longest = max(display_width(x) for x in texts)
            words = [w for x in texts for w in x.split()] or [""]
            word = max(min(display_width(w), 8) if display_width(w) > len(w) else display_width(w) for w in words)
            wanted[i], least[i] = max(word, min(longest, 24)), word * cell + 1.0
            out.append(None)
        rest = total_em - sum(w for w in out if w is not None)
        total = sum(wanted.values()) or 1.0
        for i, want in wanted.items():
            out[i] = round(max(least[i], rest * want / total), 2)
        return [w or 1.0 for w in out]

    def as_dict(self) -> dict[str, Any]:
        return {"columns": self.columns, "numeric": self.numeric, "rows": self.rows, "note": self.note,
                "widths": self.widths()}


def ranking_table(frame: pl.DataFrame, w: dict[str, Any], lang: str) -> Table:
    tw = w["table"]
    rows = [[figure(r["rank"], "rank", lang), name_in(r, lang), name_in(r, lang, "lead_region_name"),
             token_name(r["category"], lang, "categories"), figure(r["score"], "score", lang),
             interval(r["rank_low"], r["rank_high"], "rank", lang), figure(r["rank_change"], "rank_change", lang)]
            for r in frame.iter_rows(named=True)]
    return Table([tw["rank"], tw["cluster"], tw["city"], tw["category"], tw["score"], tw["interval"],
                  tw["rank_change"]], [True, False, False, False, True, True, True], rows, tw["table_note"])


def headline_table(kpis: dict[str, Any], totals: pl.DataFrame, year: int, w: dict[str, Any], lang: str,
                   currency: str) -> Table:
    tw = w["table"]
    money, persons = units_of(lang)
    by_measure = {r["measure"]: r for r in totals.iter_rows(named=True)}

    def row(title: str, kind: str, now: float | None, before: float | None) -> list[str]:
        return [header(title, kind, lang, currency=currency), figure(now, kind, lang, unit=False),
                figure(before, kind, lang, unit=False), rate_text(now, before, lang)]

    rows = [[tw["clusters"], figure(kpis["clusters"], "count", lang), missing_sign(lang), missing_sign(lang)],
            row(tw["cluster_output"], money, kpis["output_value"], kpis["output_value_prev"]),
            row(tw["cluster_employment"], persons, kpis["employment"], kpis["employment_prev"])]
    for measure, key, kind in (("output_value", "province_output", money), ("employment", "province_employment",
                                                                              persons)):
        if measure in by_measure:
            t = by_measure[measure]
            rows.append(row(tw[key].format(measure=measure_title(measure, lang)), kind, t["total"],
                            t["total_previous"]))
    return Table([tw["indicator"], tw["this_year"].format(year=year), tw["last_year"].format(year=year - 1),
                  header(tw["change"], "growth", lang)], [False, True, True, True], rows)


def measure_title(measure: str, lang: str) -> str:
    col = KINDS["regional-industry"].columns.get(measure)
    if col is None:
        return measure
    return col.title_zh if lang == "zh" else col.title.lower()


__all__ = ["TEMPLATES", "Look", "Table", "change_words", "headline_table", "local_date",
           "measure_title", "name_in", "ranking_table", "rate_text", "units_of", "words"]
