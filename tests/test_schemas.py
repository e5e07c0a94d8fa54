"""The upload schemas are complete declarations: every column described, titled and reachable by its headers."""

from __future__ import annotations

import pytest

from pipeline.ingest.headers import header_key
from schemas import KINDS, LANDING_ORDER

ALL_COLUMNS = [(k, c) for k in KINDS.values() for c in k.columns.values()]


@pytest.mark.parametrize(("kind", "col"), ALL_COLUMNS, ids=[f"{k.name}.{c.name}" for k, c in ALL_COLUMNS])
def test_every_column_is_described_in_both_languages(kind, col):
    assert len(col.description) > 10, f"{kind.name}.{col.name} needs a description"
    assert col.title and col.title != col.name
    assert col.title_zh and col.title_zh != col.name
    assert col.aliases, f"{kind.name}.{col.name} has no header aliases"
    if col.role == "measure":
        assert col.dimension in {"money", "persons", "count", "energy"}


@pytest.mark.parametrize("kind", list(KINDS.values()), ids=list(KINDS))
def test_no_header_maps_to_two_columns_of_a_kind(kind):
    owner: dict[str, str] = {}
    for col in kind.columns.values():
        for alias in {col.name, col.title, col.title_zh, *col.aliases}:
            key = header_key(alias)
            assert owner.setdefault(key, col.name) == col.name, (
                f"header {alias!r} would be read as both {owner[key]} and {col.name}")


def test_dictionaries_land_before_the_records_that_refer_to_them():
    position = {k: i for i, k in enumerate(LANDING_ORDER)}
    for kind in KINDS.values():
        for col in kind.columns.values():
            if col.references and col.references != kind.name:
                assert position[col.references] < position[kind.name], (kind.name, col.name)


def test_keys_identify_records():
    assert KINDS["regional-industry"].keys == ["region_code", "industry_code", "year"]
    assert KINDS["cluster-indicators"].keys == ["cluster_code", "region_code", "year"]
    assert KINDS["firms"].keys == ["firm_id", "year"]
