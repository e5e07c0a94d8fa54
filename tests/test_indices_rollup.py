"""Industry -> cluster roll-up: weights, validity years, overlapping clusters, nulls (hand-calculated)."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from pipeline.indices import IndexInputInvalid, cluster_rollup


def records(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=["region_code", "industry_code", "year", "value"], orient="row")


def cluster_map(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={
            "cluster_code": pl.String,
            "industry_code": pl.String,
            "weight": pl.Float64,
            "valid_from": pl.Int64,
            "valid_to": pl.Int64,
        },
        orient="row",
    )


def as_dict(out: pl.DataFrame) -> dict[tuple, tuple]:
    return {
        (r["region_code"], r["cluster_code"], r["year"]): (r["value"], r["industries"])
        for r in out.rows(named=True)
    }


def test_weights_overlap_and_validity_years():
    frame = records(
        [
            ("A", "11", 2019, 100), ("A", "12", 2019, 40), ("A", "13", 2019, 8),
            ("A", "11", 2020, 110), ("A", "12", 2020, 50), ("A", "13", 2020, 9),
            ("B", "11", 2020, 7), ("B", "99", 2020, 1000),
        ]
    )  # fmt: skip
    mapping = cluster_map(
        [
            ("food", "11", None, None, None),  # weight null = 1, always valid
            ("food", "12", 0.5, None, None),  # half of industry 12
            ("food", "13", None, None, 2019),  # up to and including 2019
            ("agri", "11", None, 2020, None),  # 11 also in agri (overlap), from 2020
            ("agri", "13", 2.0, 2020, 2020),  # only in 2020, weight 2
        ]
    )
    out = cluster_rollup(frame, mapping)
    assert out.columns == ["region_code", "cluster_code", "year", "value", "industries"]
    assert out.schema["value"] == pl.Float64 and out.schema["industries"] == pl.Int64
    assert as_dict(out) == {
        # food 2019: 100 + 0.5*40 + 8 = 128 (3 industries)
        ("A", "food", 2019): (128.0, 3),
        # food 2020: 110 + 0.5*50 = 135 (13 left food after 2019)
        ("A", "food", 2020): (135.0, 2),
        # agri 2020: 110 + 2*9 = 128; agri has no industry valid in 2019, so no row
        ("A", "agri", 2020): (128.0, 2),
        # B: 11 only; industry 99 belongs to no cluster and is dropped
        ("B", "agri", 2020): (7.0, 1),
        ("B", "food", 2020): (7.0, 1),
    }


def test_nulls_are_skipped_and_all_null_gives_null():
    frame = records(
        [("A", "11", 2020, None), ("A", "12", 2020, 40), ("B", "11", 2020, None), ("B", "12", 2020, None)]
    )
    mapping = cluster_map([("food", "11", None, None, None), ("food", "12", 0.5, None, None)])
    assert as_dict(cluster_rollup(frame, mapping)) == {
        ("A", "food", 2020): (20.0, 1),  # 0.5 * 40; the null is skipped, not read as 0
        ("B", "food", 2020): (None, 0),  # nothing reported
    }


def test_minimal_map_and_by_columns():
    # A map with only cluster and industry columns: weight 1, always valid. The `measure` key is carried.
    frame = records([("A", "11", 2020, 3), ("A", "12", 2020, 4)]).with_columns(measure=pl.lit("emp"))
    mapping = pl.DataFrame({"cluster_code": ["c", "c"], "industry_code": ["11", "12"]})
    out = cluster_rollup(frame, mapping, by=["measure"])
    assert out.columns == ["measure", "region_code", "cluster_code", "year", "value", "industries"]
    assert out.row(0) == ("emp", "A", "c", 2020, 7.0, 2)  # 3 + 4


def test_custom_column_names():
    frame = pl.DataFrame({"city": ["S"], "naics": ["311"], "yr": [2016], "emp": [10]})
    mapping = pl.DataFrame({"cl": ["food"], "naics": ["311"], "weight": [0.25]})
    out = cluster_rollup(
        frame, mapping, region="city", industry="naics", value="emp", year="yr", cluster="cl"
    )
    assert out.rows() == [("S", "food", 2016, 2.5, 1)]  # 0.25 * 10
    assert out.columns == ["city", "cl", "yr", "emp", "industries"]


def test_refuses_double_counting_and_type_mismatch():
    frame = records([("A", "11", 2020, 1)])
    overlapping = cluster_map([("c", "11", None, None, 2020), ("c", "11", None, 2020, None)])
    with pytest.raises(IndexInputInvalid, match="overlapping validity"):
        cluster_rollup(frame, overlapping)
    # consecutive periods are fine: 2019 from the first row, 2020 from the second
    consecutive = cluster_map([("c", "11", None, None, 2019), ("c", "11", 2.0, 2020, None)])
    assert cluster_rollup(frame, consecutive)["value"].to_list() == [2.0]
    with pytest.raises(IndexInputInvalid, match="cast one of them"):
        cluster_rollup(frame, pl.DataFrame({"cluster_code": ["c"], "industry_code": [11]}))
    with pytest.raises(IndexInputInvalid, match="share their key"):
        cluster_rollup(pl.concat([frame, frame]), consecutive)


def test_inputs_not_mutated():
    frame = records([("A", "11", 2020, 1), ("A", "12", 2020, None)])
    mapping = cluster_map([("c", "11", None, None, None), ("c", "12", 3.0, None, None)])
    before_frame, before_map = frame.clone(), mapping.clone()
    cluster_rollup(frame, mapping)
    assert_frame_equal(frame, before_frame)
    assert_frame_equal(mapping, before_map)
