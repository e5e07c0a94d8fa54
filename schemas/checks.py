"""Checks that depend on what has landed before: codes present in the dictionaries, years that have ended.

``contextual_schema`` takes a kind's static schema and adds, per column that refers to a dictionary, a check that
the code is known, so that a single ``validate(lazy=True)`` reports every failure of the file at once.
"""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from schemas.kinds import Kind

KNOWN_CODE = "known_code"
KNOWN_GROUPS = "known_group_codes"
YEAR_ENDED = "year_not_in_future"


def _known(codes: set[str]) -> pa.Check:
    values = sorted(codes)

    def check(data: pa.PolarsData) -> pl.LazyFrame:
        col = pl.col(data.key)
        return data.lazyframe.select(col.is_null() | col.is_in(values))

    return pa.Check(check, name=KNOWN_CODE)


def _known_groups(codes: set[str]) -> pa.Check:
    values = sorted(codes)

    def check(data: pa.PolarsData) -> pl.LazyFrame:
        parts = pl.col(data.key).str.split(";").list.eval(pl.element().str.strip_chars()).list.eval(
            pl.element().filter(pl.element() != "")
        )
        return data.lazyframe.select(
            pl.col(data.key).is_null() | parts.list.eval(pl.element().is_in(values)).list.all()
        )

    return pa.Check(check, name=KNOWN_GROUPS)


def _year_ended(this_year: int) -> pa.Check:
    def check(data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col(data.key).is_null() | (pl.col(data.key) <= this_year))

    return pa.Check(check, name=YEAR_ENDED)


def contextual_schema(kind: Kind, known: dict[str, set[str]], this_year: int) -> pa.DataFrameSchema:
    """``kind``'s schema plus dictionary-membership checks (``known``: dictionary kind -> codes) and year checks.

    ``known`` must already include the file's own codes where a kind refers to itself (a region's parent).
    """
    schema = kind.schema
    for name, col in kind.columns.items():
        checks = list(schema.columns[name].checks)
        if col.references is not None:
            checks.append(_known(known.get(col.references, set())))
        if (name, kind.name) in (("groups", "regions"), ("member_regions", "clusters")):
            checks.append(_known_groups(known.get("regions", set())))
        if name == "year" and not kind.is_dictionary:
            checks.append(_year_ended(this_year))
        if len(checks) != len(schema.columns[name].checks):
            schema = schema.update_column(name, checks=checks)
    return schema
