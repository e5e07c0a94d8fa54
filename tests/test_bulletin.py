"""The demo release as a statistical bulletin, in Word and PDF, in Chinese and English, read back the way a reader's
tools read it: python-docx (every run's East Asian font), pdftotext (the headline figures equal the warehouse's),
pdffonts (every font embedded), pdftoppm (every page rendered; the PNGs are kept in .artifacts/bulletin/ for a
person to look at).

The expected figures are worked out here from the release's own tables with plain arithmetic (sums divided by 1e8
for 亿元 and 1e4 for 万人, growth as now / before - 1), not through the formatting module.
"""

from __future__ import annotations

import io
import shutil
import sqlite3
import subprocess
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner
from test_ui_demo import demo_data_dir

from pipeline.core.ops import OpsStore
from pipeline.core.publication import release
from pipeline.core.settings import Settings
from pipeline.publishing.bulletin import BulletinError, prepare, render
from pipeline.publishing.releases import release_path
from warehouse import queries

ARTIFACTS = Path(__file__).resolve().parents[1] / ".artifacts" / "bulletin"
NEEDS_POPPLER = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="poppler-utils (pdftotext, pdffonts, pdftoppm) is not installed; "
                                          ".ci/run installs it")


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Settings:
    return Settings.from_env(demo_data_dir(tmp_path_factory))


@pytest.fixture(scope="module")
def files(demo) -> dict[tuple[str, str], bytes]:
    """Release 2 (the demo's revision of release 1) in both formats and both languages, kept as artefacts."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    out = {}
    for fmt in ("pdf", "docx"):
        for lang in ("zh", "en"):
            data = render(demo, 2, fmt=fmt, lang=lang, staff=False)
            (ARTIFACTS / f"bulletin-release-2-{lang}.{fmt}").write_bytes(data)
            out[(fmt, lang)] = data
    return out


@pytest.fixture(scope="module")
def figures(demo) -> dict:
    rel = release(OpsStore(demo.ops_path), 2)
    path = release_path(demo, rel)
    kpis = queries.overview_kpis(path, 2022)
    levels = queries.levels(path)
    withheld = 0  # figures of the cities' strong categories the release withheld (employment, LQ)
    for code in [f"21{i:02d}00" for i in range(1, 15)]:  # the 14 prefecture cities, 210100 ... 211400
        cats = queries.run(path, "ui_region_categories", region=code, year=2022, **levels)
        strong = cats.filter(pl.col("strong").fill_null(False) & pl.col("suppressed"))
        withheld += strong.get_column("employment").null_count() + strong.get_column("lq").null_count()
    return {"kpis": kpis, "ranking": queries.ranking(path, 2022).sort("rank"), "rel": rel, "withheld": withheld}


def pdf_text(data: bytes, tmp_path: Path, name: str) -> str:
    pdf = tmp_path / name
    pdf.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@NEEDS_POPPLER
def test_missing_fonts_are_a_clear_error_naming_the_package_and_the_setting(demo, tmp_path):
    from dataclasses import replace

    from pipeline.publishing.bulletin import Look, prepare
    from pipeline.publishing.bulletin.typeset import FontsMissing, render_pdf

    nowhere = replace(Look.of(demo), font_paths=(str(tmp_path / "no-fonts"),))
    doc, images, _, moment = prepare(demo, 2, "zh", staff=False, look=nowhere)
    with pytest.raises(FontsMissing) as err:
        render_pdf(doc, images, nowhere, moment=moment)
    assert "fonts-noto-cjk" in str(err.value) and "bulletin.toml" in str(err.value)
    assert "Noto Serif CJK SC" in str(err.value)


def test_zh_pdf_prints_the_warehouse_headline_figures(files, figures, tmp_path):
    text = "".join(pdf_text(files[("pdf", "zh")], tmp_path, "zh.pdf").split())  # Chinese: no spaces between words
    k = figures["kpis"]
    output_100m = f"{k['output_value'] / 1e8:,.1f}亿元"  # the demo: 368,9xx,xxx,xxx yuan -> 3,689.x 亿元
    employment_10k = f"{k['employment'] / 1e4:,.2f}万人"
    growth = (k["output_value"] / k["output_value_prev"] - 1) * 100
    assert f"产业集群{k['clusters']}个，其中新兴产业集群{k['emerging']}个" in text
    assert output_100m in text and employment_10k in text
    assert f"比上年{'增长' if growth > 0 else '下降'}{abs(growth):.1f}%" in text
    top = figures["ranking"].row(0, named=True)
    assert f"{top['name']}（{top['score']:.1f}分）" in text  # the best score, as the ranking sentence names it
    assert f"{top['rank_low']:.0f}–{top['rank_high']:.0f}" in text  # its 90% rank interval in the table
    # release, revision, disclosure and the synthetic-data label
    assert "（第2号）" in text and "本公报修订" in text and "第1号公报" in text
    suppressed = sum(int(t["suppressed"]) for t in figures["rel"]["disclosure"]["tables"])
    assert f"本期共隐藏{suppressed:,}个单元格" in text and "“保密”" in text
    # every figure the release withheld prints as its symbol (the annex of strong categories), never as a number
    assert figures["withheld"] > 0 and text.count("保密") == figures["withheld"] + 1  # + the footnote's
    pages = int(next(line.split()[-1] for line in subprocess.run(
        ["pdfinfo", str(tmp_path / "zh.pdf")], capture_output=True, text=True, check=True).stdout.splitlines()
        if line.startswith("Pages:")))
    assert text.count("合成演示数据，非真实统计") == pages  # the status line in every page's header
    assert "2,013" not in text and "None" not in text


@NEEDS_POPPLER
def test_en_pdf_prints_the_same_figures_in_english(files, figures, tmp_path):
    text = " ".join(pdf_text(files[("pdf", "en")], tmp_path, "en.pdf").split())
    k = figures["kpis"]
    assert f"{k['clusters']} industrial clusters were monitored" in text
    assert f"{k['output_value'] / 1e9:,.2f} bn yuan" in text and f"{k['employment']:,.0f} persons" in text
    assert "Release No. 2" in text and "This bulletin revises release 1" in text
    assert "Synthetic demonstration data, not official statistics" in text


@NEEDS_POPPLER
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pdf_fonts_are_embedded_and_pages_render(files, lang, tmp_path):
    pdf = tmp_path / f"{lang}.pdf"
    pdf.write_bytes(files[("pdf", lang)])
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts, "no fonts listed"
    for line in fonts:
        assert line.split()[-5] == "yes", f"font not embedded: {line}"  # the 'emb' column
    assert any("NotoSerifCJK" in line for line in fonts)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert "A4" in info and pages >= 5
    prefix = ARTIFACTS / f"page-{lang}"
    for old in ARTIFACTS.glob(f"page-{lang}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "80", "-png", str(pdf), str(prefix)], check=True)
    pngs = sorted(ARTIFACTS.glob(f"page-{lang}-*.png"))
    assert len(pngs) == pages
    from PIL import Image

    first = Image.open(pngs[0]).convert("L")
    assert first.getextrema()[0] < 60  # ink on the first page, not a blank sheet


def _east_asian(run, paragraph, document) -> str | None:
    """The East Asian font a run is drawn in: its own, else its paragraph style's (up the basedOn chain), else the
    document defaults'."""
    from docx.oxml.ns import qn

    def of(element) -> str | None:
        rpr = element.find(qn("w:rPr")) if element is not None else None
        fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
        return fonts.get(qn("w:eastAsia")) if fonts is not None else None

    own = of(run._r)
    if own:
        return own
    style = paragraph.style
    while style is not None:
        got = of(style.element)
        if got:
            return got
        style = style.base_style
    defaults = document.styles.element.find(qn("w:docDefaults"))
    return of(defaults.find(qn("w:rPrDefault"))) if defaults is not None else None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_docx_every_run_is_in_the_templates_east_asian_font(files, figures, lang):
    from docx import Document

    document = Document(io.BytesIO(files[("docx", lang)]))
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend(cell.paragraphs)
    for section in document.sections:
        paragraphs.extend(section.header.paragraphs)
        paragraphs.extend(section.footer.paragraphs)
    runs = [(r, p) for p in paragraphs for r in p.runs if r.text.strip()]
    assert len(runs) > 300
    fonts = {_east_asian(r, p, document) for r, p in runs}
    assert fonts <= {"Noto Serif CJK SC", "Noto Sans CJK SC"}, fonts  # the template's title/body and heading fonts
    body = {_east_asian(r, p, document) for r, p in runs if p.style.name == "Normal"}
    assert body == {"Noto Serif CJK SC"}
    text = "\n".join(p.text for p in paragraphs)
    k = figures["kpis"]
    if lang == "zh":
        assert f"{k['output_value'] / 1e8:,.1f}亿元" in text and "{{" not in text and "{%" not in text
    else:
        assert f"{k['output_value'] / 1e9:,.2f} bn yuan" in text
    # the tables: headline (5 rows), the top 20, every cluster in the annex, the strong categories by city
    assert [len(t.rows) for t in document.tables][:3] == [6, 21, figures["ranking"].height + 1]
    symbol = "保密" if lang == "zh" else "D"
    assert sum(c.text == symbol for row in document.tables[3].rows for c in row.cells) == figures["withheld"]
    assert len(document.inline_shapes) == 2  # the two figures


def test_the_same_release_gives_the_same_bytes(demo, files):
    assert render(demo, 2, fmt="pdf", lang="zh", staff=False) == files[("pdf", "zh")]
    assert render(demo, 2, fmt="docx", lang="en", staff=False) == files[("docx", "en")]


def test_an_embargoed_release_is_for_staff_and_says_so(demo, tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(demo.data_dir, copy)
    s = Settings.from_env(copy)
    with sqlite3.connect(s.ops_path) as con:  # release 2 approved, its embargo not yet over
        con.execute("update releases set status = 'approved', published_at = null where number = 2")
    with pytest.raises(BulletinError, match="There is no published release 2"):
        prepare(s, 2, "zh", staff=False)
    doc, *_ = prepare(s, 2, "en", staff=True)
    assert doc["status_line"].startswith("EMBARGOED: not to be published or quoted before ")
    with pytest.raises(BulletinError, match="Unknown format 'odt'"):
        render(s, 1, fmt="odt", lang="zh", staff=True)


def test_a_bureau_edits_wording_and_fonts(demo, tmp_path):
    from docx import Document

    from pipeline.cli import cli

    copy = tmp_path / "data"
    shutil.copytree(demo.data_dir, copy)
    runner = CliRunner()
    written = runner.invoke(cli, ["--data-dir", str(copy), "bulletin", "--templates", str(tmp_path / "tpl")])
    assert written.exit_code == 0, written.output
    folder = copy / "bulletin"
    folder.mkdir()
    words = (tmp_path / "tpl" / "words-zh.toml").read_text(encoding="utf-8")
    (folder / "words-zh.toml").write_text(words.replace('title = "{year}年{province}产业集群发展统计公报"',
                                                        'title = "{province}{year}年产业集群统计公报"'),
                                          encoding="utf-8")
    (folder / "bulletin.toml").write_text('issuer = "某某统计局"\n[fonts]\nbody = "FangSong"\n', encoding="utf-8")
    out = tmp_path / "b.docx"
    made = runner.invoke(cli, ["--data-dir", str(copy), "bulletin", "--release", "2", "--format", "docx",
                               "--lang", "zh", "--out", str(out)])
    assert made.exit_code == 0, made.output
    document = Document(str(out))
    assert document.paragraphs[0].text == "辽宁省2022年产业集群统计公报"
    assert "某某统计局" in [p.text for p in document.paragraphs]
    fonts = {_east_asian(r, p, document) for p in document.paragraphs for r in p.runs if r.text.strip()}
    assert "FangSong" in fonts
