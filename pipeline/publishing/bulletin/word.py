"""The bulletin as a Word document: a .docx template rendered by docxtpl (Jinja tags in the document).

The built-in template (:func:`default_template`) is written with python-docx: A4 with the GB/T 9704 margins, the
styles (title, headings, body, table text) carrying both the Latin and the East Asian font (python-docx alone sets
only the Latin one: ``w:eastAsia`` is set here on every style and on the document defaults), the status line in
the page header and "— page —" in the footer. ``clusterstats bulletin --template`` writes it out; a bureau edits
it in Word (letterhead, fonts, wording around the tags) and puts it in its bulletin folder as
``bulletin-{lang}.docx``. Tables (three-line tables, numbers right-aligned) and figures are inserted where the tags
``{{p headline_table }}``, ``{{p ranking_table }}``, ``{{p annex_table }}`` and ``{{ x.image }}`` stand.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from typing import Any

from pipeline.publishing.bulletin.content import Look

# GB/T 9704-2012: A4, top 37 mm, bottom 35 mm, left 28 mm, right 26 mm
MARGINS_MM = (37, 35, 28, 26)
STYLE_FONTS = {"Title": "title", "Heading 1": "heading", "Heading 2": "body", "Normal": "body",
               "Table Text": "body", "Table Heading": "heading", "Header": "heading", "Footer": "body",
               "Caption": "heading", "Note": "body"}


def _fonts(style: Any, latin: str, east_asian: str) -> None:
    from docx.oxml.ns import qn

    style.font.name = latin
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):  # a theme font wins over a name
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:hint"), "eastAsia")
    ppr = style.element.pPr
    if ppr is not None:  # the Title style's rule under it
        for border in ppr.findall(qn("w:pBdr")):
            ppr.remove(border)


def _defaults(document: Any, font: str) -> None:
    """The document defaults (``w:docDefaults``) in the body font, East Asian included."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)


def _page_field(paragraph: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(" —")


def default_template(lang: str, look: Look) -> bytes:
    """The built-in Word template of ``lang`` (zh: 16 pt body with 2-character indents, 黑体 headings "一、";
    en: 12 pt body, numbered headings)."""
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Mm, Pt, RGBColor

    zh = lang == "zh"
    fonts = {"title": look.title_font, "heading": look.heading_font, "body": look.body_font}
    document = Document()
    _defaults(document, look.body_font)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = (Mm(v) for v in
                                                                                            MARGINS_MM)
    styles = document.styles
    for name in ("Table Text", "Table Heading", "Note"):
        if name not in [s.name for s in styles]:
            styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH).base_style = styles["Normal"]
    body_size = Pt(16 if zh else 12)
    sizes = {"Title": Pt(22), "Heading 1": Pt(16 if zh else 14), "Heading 2": body_size, "Normal": body_size,
             "Table Text": Pt(10.5), "Table Heading": Pt(10.5), "Header": Pt(9), "Footer": Pt(14 if zh else 11),
             "Caption": Pt(12), "Note": Pt(12)}
    for name, role in STYLE_FONTS.items():
        style = styles[name]
        _fonts(style, fonts[role], fonts[role])
        style.font.size = sizes[name]
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.bold = name in ("Title", "Heading 2") or (name == "Heading 1" and not zh)
        style.font.italic = False
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after = Pt(0), Pt(0)
        if name == "Normal":
            fmt.line_spacing = Pt(28 if zh else 18)
            fmt.first_line_indent = Pt(32) if zh else None
            fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        elif name in ("Table Text", "Table Heading", "Header", "Footer", "Caption", "Note", "Title"):
            fmt.line_spacing = 1.0 if name != "Title" else Pt(36)
            fmt.first_line_indent = Pt(0)
            if name in ("Table Text", "Table Heading"):  # not justified: CJK text would be spread across the cell
                fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
        if name in ("Heading 1", "Heading 2"):
            fmt.first_line_indent = Pt(32) if zh else Pt(0)
            fmt.space_before = Pt(6)
            fmt.keep_with_next = True
        if name in ("Title", "Caption"):
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header = section.header.paragraphs[0]
    header.style = styles["Header"]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.add_run("{{ d.status_line }}").font.color.rgb = RGBColor(0xB3, 0x26, 0x1E)
    footer = section.footer.paragraphs[0]
    footer.style = styles["Footer"]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(footer)

    def para(text: str, style: str = "Normal", align: Any = None) -> Any:
        p = document.add_paragraph(text, style=styles[style])
        if align is not None:
            p.alignment = align
        return p

    center = WD_ALIGN_PARAGRAPH.CENTER
    para("{{ d.title }}", "Title")
    para("{{ d.number_line }}", "Caption").style = styles["Normal"]
    document.paragraphs[-1].alignment = center
    para("{%p if d.issuer %}")
    para("{{ d.issuer }}", align=center)
    para("{%p endif %}")
    para("{{ d.date }}", align=center)
    para("{%p if d.revision_line %}")
    para("{{ d.revision_line }}", "Note", center)
    para("{%p endif %}")
    para("{%p if d.synthetic %}")
    note = para("{{ d.synthetic_text }}", "Note")
    note.runs[0].font.color.rgb = RGBColor(0xB3, 0x26, 0x1E)
    para("{%p endif %}")
    number = (lambda n: "一二三四五六七八九十"[n - 1] + "、") if zh else (lambda n: f"{n}. ")
    para(number(1) + "{{ d.headings.overview }}", "Heading 1")
    para("{%p for p in d.overview %}")
    para("{{ p }}")
    para("{%p endfor %}")
    para("{{ d.headline_title }}", "Caption")
    para("{{p headline_table }}")
    para(number(2) + "{{ d.headings.ranking }}", "Heading 1")
    para("{%p for p in d.ranking_text %}")
    para("{{ p }}")
    para("{%p endfor %}")
    para("{{ d.ranking_title }}", "Caption")
    para("{{p ranking_table }}")
    para("{%p for x in figures %}")
    para("{{ x.image }}", "Caption")
    para("{{ x.caption }}", "Caption")
    para("{%p endfor %}")
    para(number(3) + "{{ d.headings.cities }}", "Heading 1")
    para("{%p for c in d.cities %}")
    para("{{ c.numeral }}{{ c.name }}", "Heading 2")
    para("{%p for p in c.paragraphs %}")
    para("{{ p }}")
    para("{%p endfor %}")
    para("{%p endfor %}")
    para(number(4) + "{{ d.headings.notes }}", "Heading 1")
    para("{%p for p in notes %}")
    para("{{ loop.index }}. {{ p }}")
    para("{%p endfor %}")
    para("{{ d.headings.sources }}{{ colon }}{{ sources }}", "Note")
    para("{{ d.headings.release }}{{ colon }}{{ d.release_text }}", "Note")
    para("", "Note").add_run().add_break(WD_BREAK.PAGE)
    para("{{ d.headings.annex }}", "Caption")
    para("{{p annex_table }}")
    para("{{ d.headings.annex_strong }}", "Caption")
    para("{{p strong_table }}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _table(template: Any, table: dict[str, Any]) -> Any:
    """A three-line table as a subdocument: a rule above and below, one under the header row, numbers right."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    sub = template.new_subdoc()
    columns, rows = table["columns"], table["rows"]
    grid = sub.add_table(rows=len(rows) + 1, cols=len(columns))
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    widths = column_widths(table)
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width  # the grid (w:gridCol): what LibreOffice and WPS lay the table out by
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    grid._tbl.tblPr.append(layout)
    borders = OxmlElement("w:tblBorders")
    for edge, size in (("top", 12), ("bottom", 12)):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), str(size))
        borders.append(el)
    grid._tbl.tblPr.append(borders)
    header_row = grid.rows[0]
    trpr = header_row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    trpr.append(repeat)
    heading_style, text_style = sub.styles["Table Heading"], sub.styles["Table Text"]
    for r, (row, values) in enumerate(zip(grid.rows, [columns, *rows], strict=True)):
        for c, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            cell.width = widths[c]
            p = cell.paragraphs[0]
            p.style = heading_style if r == 0 else text_style
            p.add_run(str(value))
            if table["numeric"][c] and r > 0:
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if r == 0:
                tcpr = cell._tc.get_or_add_tcPr()
                tcb = OxmlElement("w:tcBorders")
                bottom = OxmlElement("w:bottom")
                bottom.set(qn("w:val"), "single")
                bottom.set(qn("w:sz"), "6")
                tcb.append(bottom)
                tcpr.append(tcb)
    if table.get("note"):
        sub.add_paragraph(table["note"], style=sub.styles["Note"])
    return sub


def column_widths(table: dict[str, Any]) -> list[Any]:
    """Column widths (EMU) from the document's table ``widths`` (em of the tables' 10.5 pt text; they fill the
    156 mm text block): number columns as wide as their widest figure, text columns never narrower than their
    longest word, so that no column holding a name wraps one character a line."""
    from docx.shared import Mm

    em_mm = 10.5 * 0.3528  # 1 em of 10.5 pt, in mm
    return [Mm(w * em_mm) for w in table["widths"]]


def render_docx(doc: dict[str, Any], images: dict[str, bytes], look: Look, *, moment: datetime) -> bytes:
    """``doc`` rendered into the bureau's Word template (or the built-in one), with its tables and figures; the
    file's dates are the release's publication time, so the same release gives the same bytes."""
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage

    own = look.folder / f"bulletin-{doc['lang']}.docx"
    source = own.read_bytes() if own.is_file() else default_template(doc["lang"], look)
    template = DocxTemplate(io.BytesIO(source))
    figures = [{"image": InlineImage(template, io.BytesIO(images[x["file"]]), width=Mm(150)),
                "caption": x["caption"]} for x in doc["figures"]]
    notes = doc["notes"]
    context = {
        "d": doc, "figures": figures, "colon": "：" if doc["lang"] == "zh" else ": ",
        "notes": notes["definitions"] + notes["disclosure"] + notes["revision"],
        "sources": ("；" if doc["lang"] == "zh" else "; ").join(notes["sources"]),
        "headline_table": _table(template, doc["headline"]), "ranking_table": _table(template, doc["ranking"]),
        "annex_table": _table(template, doc["annex"]), "strong_table": _table(template, doc["annex_strong"]),
    }
    template.render(context, autoescape=True)
    props = template.docx.core_properties
    props.title, props.author = doc["title"], doc["issuer"] or "clusterstats"
    props.created = props.modified = moment.replace(tzinfo=None)
    props.revision = 1
    buffer = io.BytesIO()
    template.save(buffer)
    return _fixed_dates(buffer.getvalue(), moment)


def _fixed_dates(data: bytes, moment: datetime) -> bytes:
    """The .docx (a zip) with every entry dated ``moment``, in a fixed order: the same release, the same bytes."""
    out = io.BytesIO()
    stamp = (max(moment.year, 1980), moment.month, moment.day, moment.hour, moment.minute, moment.second)
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


__all__ = ["default_template", "render_docx"]
