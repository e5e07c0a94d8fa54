"""Every table of the app, through one call with the app's conventions (``st.dataframe`` is called here only):

- a missing value reads "–", never "None" (Streamlit's default placeholder);
- a column holding sentences (a text longer than 40 characters: a problem and its fix, a change report line)
  wraps instead of being cut: the rows are three lines tall (Streamlit wraps text in rows taller than 4rem) and
  the column is wide.
"""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

#: a text column is a sentence column when one of its texts is longer than this
SENTENCE = 40
#: three lines of text (Streamlit wraps cell text only when a row is taller than 4rem = 64 px)
WRAPPED_ROW = 76


def sentence_columns(frame: Any) -> list[str]:
    if not isinstance(frame, pl.DataFrame) or frame.is_empty():
        return []
    return [col for col, dtype in frame.schema.items() if dtype == pl.String
            and (frame.get_column(col).str.len_chars().max() or 0) > SENTENCE]


def data_table(data: Any, *, placeholder: str = "–", **kwargs: Any) -> Any:
    """``st.dataframe(data, ...)`` with "–" for missing values and sentence columns wrapped."""
    long = sentence_columns(data)
    if long:
        kwargs.setdefault("row_height", WRAPPED_ROW)
        config = dict(kwargs.get("column_config") or {})
        for col in long:
            config.setdefault(col, st.column_config.TextColumn(width="large"))
        kwargs["column_config"] = config
    return st.dataframe(data, placeholder=placeholder, **kwargs)


__all__ = ["SENTENCE", "WRAPPED_ROW", "data_table", "sentence_columns"]
