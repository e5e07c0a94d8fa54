"""A release as a statistical bulletin (统计公报), in Word or PDF, in Chinese or English.

    clusterstats bulletin --release 2 --format pdf --lang zh --out bulletin.pdf

- :mod:`.content` and :mod:`.gather`: what the bulletin says (one JSON-able document; wording from
  ``templates/words-{lang}.toml``, figures formatted by :mod:`pipeline.core.formatting`);
- :mod:`.charts`: its figures (Vega-Lite, rendered to PNG by vl-convert);
- :mod:`.typeset`: the PDF (Typst, template ``bulletin-{lang}.typ``); :mod:`.word`: the .docx (docxtpl).

A bureau's own templates, wording and fonts go in ``<data dir>/bulletin/`` (``bulletin.toml`` names the fonts and
the issuer; a file named like a built-in template replaces it). Anyone may have the bulletin of a published
release; an embargoed or draft release's bulletin is for staff, and says so on every page.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pipeline.core.errors import ClusterstatsError
from pipeline.core.ops import OpsStore
from pipeline.core.settings import Settings
from pipeline.publishing.bulletin.content import TOP, Look

FORMATS = ("pdf", "docx")
LANGS = ("zh", "en")
ZH_NUMERALS = "一二三四五六七八九十"


class BulletinError(ClusterstatsError):
    """The bulletin cannot be made: the message says why (no such release, not yet published, unknown format)."""


def _numeral(i: int, lang: str) -> str:
    if lang != "zh":
        return f"3.{i} "
    tens, ones = divmod(i, 10)
    text = ("" if tens < 2 else ZH_NUMERALS[tens - 1]) + ("十" if tens else "") + (ZH_NUMERALS[ones - 1] if ones
                                                                                  else "")
    return f"（{text}）"


def prepare(settings: Settings, number: int, lang: str, *, staff: bool, look: Look | None = None
            ) -> tuple[dict[str, Any], dict[str, bytes], dict[str, Any], datetime]:
    """(the document, its figure images by file name, the raw figures, the moment it is dated)."""
    from pipeline.core.publication import release
    from pipeline.publishing.bulletin import charts
    from pipeline.publishing.bulletin.gather import document
    from pipeline.reports.exports import chart_png

    if lang not in LANGS:
        raise BulletinError(f"Unknown language {lang!r}: choose one of {', '.join(LANGS)}.")
    rel = release(OpsStore(settings.ops_path), number)
    if rel is None or not (staff or rel["status"] == "published"):
        raise BulletinError(f"There is no published release {number}. `clusterstats release list` shows the "
                            "releases you may read.")
    look = look or Look.of(settings)
    doc, raw = document(settings, rel, lang, look)
    w = raw["words"]
    tw = w["table"]
    doc["words"] = w
    doc["headline_title"] = tw["title_headline"].format(n=1, year=raw["year"])
    doc["ranking_title"] = tw["title_ranking"].format(n=2, top=min(TOP, raw["ranking"].height))
    for i, city in enumerate(doc["cities"], start=1):
        city["numeral"] = _numeral(i, lang)
    specs = [(tw["chart_scores"].format(n=min(TOP, raw["ranking"].height)), charts.scores_chart(doc, raw["ranking"])),
             (tw["chart_cities"], charts.cities_chart(doc, raw["ranking"], raw["currency"]))]
    images: dict[str, bytes] = {}
    doc["figures"] = []
    for i, (title, spec) in enumerate(specs, start=1):
        name = f"figure-{i}.png"
        images[name] = chart_png(spec, scale=3.0)
        doc["figures"].append({"file": name, "caption": tw["title_chart"].format(n=i, title=title)})
    stamp = rel["published_at"] or rel["publish_at"] or rel["created_at"]
    moment = datetime.fromisoformat(stamp).astimezone(UTC)
    return doc, images, raw, moment


def render(settings: Settings, number: int, *, fmt: str, lang: str, staff: bool) -> bytes:
    """Release ``number``'s bulletin as ``fmt`` (pdf or docx) in ``lang`` (zh or en)."""
    if fmt not in FORMATS:
        raise BulletinError(f"Unknown format {fmt!r}: choose one of {', '.join(FORMATS)}.")
    look = Look.of(settings)
    doc, images, _, moment = prepare(settings, number, lang, staff=staff, look=look)
    if fmt == "pdf":
        from pipeline.publishing.bulletin.typeset import render_pdf

        return render_pdf(doc, images, look, moment=moment)
    from pipeline.publishing.bulletin.word import render_docx

    return render_docx(doc, images, look, moment=moment)


def file_name(number: int, fmt: str, lang: str) -> str:
    return f"bulletin-release-{number}-{lang}.{fmt}"


__all__ = ["FORMATS", "LANGS", "BulletinError", "Look", "file_name", "prepare", "render"]
