"""Every table of the app goes through ui.tables.data_table: missing values read "–" (Streamlit's default shows
"None"), and a column holding sentences (the upload report's "how to fix") wraps instead of being cut."""

from __future__ import annotations

import ast
from pathlib import Path

import polars as pl

from ui.tables import SENTENCE, WRAPPED_ROW, sentence_columns

UI = Path(__file__).resolve().parents[1] / "ui"


def test_st_dataframe_is_called_only_by_data_table():
    calls = []
    for path in sorted(UI.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "dataframe" \
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "st":
                calls.append(str(path.relative_to(UI)))
    assert calls == ["tables.py"]


def test_sentence_columns_are_the_long_texts():
    fix = "Write the year as four digits (2019), not as a date or with 年; then upload the file again."
    assert len(fix) > SENTENCE
    frame = pl.DataFrame({"row": [3, 4], "column": ["年份", None], "fix": [fix, None], "n": [1.5, None]})
    assert sentence_columns(frame) == ["fix"]
    assert sentence_columns(frame.drop("fix")) == [] and sentence_columns(pl.DataFrame()) == []
    assert WRAPPED_ROW > 64  # Streamlit wraps a cell's text only in rows taller than 4rem (64 px)


def test_a_table_wraps_its_sentences_and_shows_no_none():
    from streamlit.testing.v1 import AppTest

    def page():
        import polars as pl

        from ui.tables import data_table

        data_table(pl.DataFrame({"rule": ["year_format"], "fix": [
            "Write the year as four digits (2019), not as a date or with 年; then upload the file again."],
            "value": [None]}, schema={"rule": pl.String, "fix": pl.String, "value": pl.String}), hide_index=True)

    at = AppTest.from_function(page).run()
    (shown,) = at.dataframe
    proto = shown.proto
    assert proto.placeholder == "–" and proto.row_height == WRAPPED_ROW
    import json

    columns = json.loads(proto.columns)
    assert columns["fix"]["width"] == "large" and "rule" not in columns  # only the sentence column is widened
