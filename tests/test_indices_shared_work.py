"""What a caller that runs many indices over the same large frames (the warehouse build) may ask of the index
functions: keys vouched for once (keys_checked, subset_checked), intermediate results shared (reuse_work), and
categorical keys. None of it may change a single result; each test compares with the plain call."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import pipeline.indices.sparse as specialisation
from pipeline.indices import (
    IndexInputInvalid,
    cluster_rollup,
    diversity,
    hachman,
    herfindahl,
    keys_checked,
    krugman_specialisation,
    reuse_work,
    subset_checked,
    ubiquity,
)

BY = ["year", "measure"]
KEYS = [*BY, "region_code", "industry_code"]


@pytest.fixture()
def facts() -> pl.DataFrame:
    # two regions, three industries, one year and measure; B has no industry z
    return pl.DataFrame({"year": [2022] * 5, "measure": ["employment"] * 5,
                         "region_code": ["A", "A", "A", "B", "B"], "industry_code": ["x", "y", "z", "x", "y"],
                         "value": [10.0, 30.0, 60.0, 50.0, 50.0]})


def test_vouched_keys_are_not_checked_again_but_other_frames_and_fewer_keys_are(facts):
    doubled = pl.concat([facts, facts.head(1)])  # A/x twice: it would count twice
    with pytest.raises(IndexInputInvalid, match="share their key"):
        herfindahl(doubled, unit="industry_code", group="region_code", by=BY)
    with keys_checked((facts, KEYS)):
        # a vouched frame is trusted; the duplicated one is another frame, and is still checked
        herfindahl(facts, unit="industry_code", group="region_code", by=BY)
        with pytest.raises(IndexInputInvalid, match="share their key"):
            herfindahl(doubled, unit="industry_code", group="region_code", by=BY)
        # the same frame on fewer keys than were vouched for: checked (region A has three rows of one measure)
        with pytest.raises(IndexInputInvalid, match="share their key"):
            herfindahl(facts, unit="region_code", group="measure", by=["year"])
    # outside the block nothing is trusted
    with pytest.raises(IndexInputInvalid):
        herfindahl(doubled, unit="industry_code", group="region_code", by=BY)


def test_a_subset_of_a_vouched_frame_is_vouched_for(facts):
    doubled = pl.concat([facts, facts.head(1)])
    with keys_checked((doubled, KEYS)):  # a caller's (false) promise carries over to the subset, nothing more
        subset = doubled.filter(pl.col("region_code") == "A")
        with subset_checked(subset, doubled):
            out = herfindahl(subset, unit="industry_code", group="region_code", by=BY)
        with pytest.raises(IndexInputInvalid):
            herfindahl(subset, unit="industry_code", group="region_code", by=BY)
    # which is why the build audits the facts' keys before the marts (tests/test_warehouse_build.py): with A/x
    # counted twice, H = (10² + 10² + 30² + 60²) / 110² instead of (10² + 30² + 60²) / 100² = 0.46
    assert out.get_column("hhi").item() == pytest.approx((100 + 100 + 900 + 3600) / 110**2)


def test_shared_work_gives_the_same_results_computed_once(facts, monkeypatch):
    calls = []
    original = specialisation._sparse_cells

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(specialisation, "_sparse_cells", counting)
    indices = (lambda f: hachman(f, by=BY), lambda f: krugman_specialisation(f, by=BY),
               lambda f: diversity(f, by=BY), lambda f: ubiquity(f, by=BY))
    plain = [index(facts) for index in indices]
    assert len(calls) == len(indices)
    calls.clear()
    with reuse_work():
        shared = [index(facts) for index in indices]
        # another frame with equal contents is not the same frame: computed on its own
        hachman(facts.clone(), by=BY)
    assert len(calls) == 2
    for a, b in zip(plain, shared, strict=True):
        assert_frame_equal(a, b)
    # by hand: s_A = (0.1, 0.3, 0.6), s_i = (60, 80, 60)/200 = (0.3, 0.4, 0.3), LQ_A = (1/3, 3/4, 2):
    # Hachman_A = 1 / Σ s_ri LQ_ri = 1 / (0.1/3 + 0.3·0.75 + 0.6·2) = 1 / 1.458333 = 0.685714
    assert plain[0].filter(pl.col("region_code") == "A").get_column("hachman").item() == pytest.approx(0.685714, 1e-6)


def test_categorical_keys_give_the_same_values_and_the_rollup_sorts_by_their_codes(facts):
    mapping = pl.DataFrame({"cluster_code": ["c2", "c1", "c1"], "industry_code": ["x", "x", "y"]})
    as_text = cluster_rollup(facts, mapping, by=["measure"])
    cats = pl.Categorical(pl.Categories.random())
    coded = cluster_rollup(facts.with_columns(pl.col(pl.String).cast(cats)),
                           mapping.with_columns(pl.col(pl.String).cast(cats)), by=["measure"])
    # A: c1 = 10 + 30 = 40, c2 = 10; B: c1 = 50 + 50 = 100, c2 = 50
    assert as_text.select("region_code", "cluster_code", "value").rows() == [
        ("A", "c1", 40.0), ("A", "c2", 10.0), ("B", "c1", 100.0), ("B", "c2", 50.0)]
    # categorical codes follow first appearance (c2 was cast first), so c2 sorts before c1 within a region
    assert coded.with_columns(pl.col(pl.Categorical).cast(pl.String)).select(
        "region_code", "cluster_code", "value").rows() == [
        ("A", "c2", 10.0), ("A", "c1", 40.0), ("B", "c2", 50.0), ("B", "c1", 100.0)]
