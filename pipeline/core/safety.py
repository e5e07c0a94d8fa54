"""Untrusted text: file names, formula-like cells and markup, made harmless where they leave the system.

Uploaded cells are stored exactly as typed (text starting with ``=`` stays text; nothing is ever evaluated). The
danger is downstream: a spreadsheet program that opens an export runs ``=HYPERLINK(...)`` or ``@SUM(...)`` (CSV
injection), and a page that inserts a name as HTML runs ``<script>``. Hence two helpers for the edges:

- :func:`neutralise_formula` for every text cell of an export (CSV, XLSX): a leading ``'`` makes a spreadsheet
  show the text instead of calculating it (OWASP "CSV injection"); :func:`neutralise_frame` does a whole frame;
- :func:`escape_html` for any text put into HTML (Streamlit escapes ``st.write`` text itself; ``unsafe_allow_html``
  and hand-made HTML must use this);
- :func:`visible` for any untrusted text written to a terminal or a log line: control characters (a line break
  that would forge a second line, a terminal's escape codes) are shown as escapes, never acted on.

    >>> neutralise_formula("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralise_formula("-5"), neutralise_formula("沈阳市")
    ('-5', '沈阳市')
    >>> escape_html("<script>alert(1)</script>")
    '&lt;script&gt;alert(1)&lt;/script&gt;'
    >>> clean_file_name("../../etc/地区.csv")
    ('地区.csv', True)
    >>> print(visible("wang\\nuser_role {mallory: admin}\\x1b[2J"))
    wang\\nuser_role {mallory: admin}\\x1b[2J
"""

from __future__ import annotations

import html
import re
import unicodedata

import polars as pl

#: First characters that make a spreadsheet treat a cell as a formula (OWASP: = + - @, tab and carriage return).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
#: regular expressions (Rust and Python syntax) for text a spreadsheet would calculate, and for HTML markup
FORMULA_START = r"^[=+\-@\t\r＝＋－＠]"
MARKUP = r"(?i)<\s*/?\s*[a-z!][^>]*>|javascript:|\bon(?:load|error|click|mouse\w*|focus|blur|key\w*|submit)\s*="
_MARKUP = re.compile(MARKUP)
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f]")
MAX_FILE_NAME = 200
#: C0 and C1 control characters, DEL, and the Unicode line and paragraph separators and direction overrides
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def visible(text: object) -> str:
    """``text`` with every control character written as an escape (``\\n``, ``\\x1b``, ``\\u2028``): one line,
    nothing a terminal would act on."""
    return _CONTROL.sub(lambda m: _ESCAPES.get(m.group(), f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                                               else f"\\u{ord(m.group()):04x}"), str(text))


def looks_like_formula(text: str | None) -> bool:
    """Whether a spreadsheet would calculate ``text`` (plain signed numbers such as ``-5`` are not formulas)."""
    if not text or not text.startswith(FORMULA_PREFIXES):
        return False
    return not _NUMBER.match(text.strip())


def neutralise_formula(text: str | None) -> str | None:
    """``text`` safe to put in a spreadsheet cell: a leading ``'`` when it would be calculated as a formula."""
    if text is None or not looks_like_formula(text):
        return text
    return "'" + text


def neutralise_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Every text column of ``frame`` passed through :func:`neutralise_formula` (numbers are left alone)."""
    prefixes = "".join(re.escape(p) for p in FORMULA_PREFIXES)
    formula = rf"^[{prefixes}]"
    exprs = []
    for name, dtype in frame.schema.items():
        if dtype == pl.String:
            col = pl.col(name)
            risky = col.str.contains(formula) & ~col.str.strip_chars().str.contains(_NUMBER.pattern)
            exprs.append(pl.when(risky).then(pl.lit("'") + col).otherwise(col).alias(name))
    return frame.with_columns(exprs) if exprs else frame


def has_markup(text: str | None) -> bool:
    """Whether ``text`` contains HTML tags or script handlers (stored as text; escape it when showing it)."""
    return bool(text) and bool(_MARKUP.search(text or ""))


def escape_html(text: object) -> str:
    """``text`` escaped for HTML (``<``, ``>``, ``&`` and both quotes)."""
    return html.escape("" if text is None else str(text), quote=True)


def clean_file_name(name: str) -> tuple[str, bool]:
    """The last part of a path given by a browser or a user (``/`` and ``\\`` both separate folders), without
    control characters, at most 200 characters; returns (name, whether it changed). Empty -> ``upload``."""
    base = re.split(r"[/\\]", name or "")[-1]
    base = _UNSAFE_NAME.sub("", unicodedata.normalize("NFC", base)).strip()
    if base in {"", ".", ".."}:
        base = "upload"
    if len(base) > MAX_FILE_NAME:
        stem, dot, suffix = base.rpartition(".")
        base = (stem[: MAX_FILE_NAME - len(suffix) - 1] + dot + suffix) if dot and len(suffix) <= 10 \
            else base[:MAX_FILE_NAME]
    return base, base != name
