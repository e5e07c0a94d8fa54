"""Upload kinds: what each file holds (its pandera model, key, measures, references), derived from the model's
field declarations."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pandera.polars as pa

from pipeline.core.errors import UnknownKind
from schemas.dictionaries import ClusterCategories, ClusterIndustries, Clusters, Industries, Regions
from schemas.records import ClusterIndicators, Firms, RegionalIndustry


@dataclass(frozen=True)
class Column:
    """One column of an upload kind, as declared in its model."""

    name: str
    dtype: str  # "str", "int" or "float"
    required: bool  # must be present in the file
    nullable: bool
    title: str
    title_zh: str
    description: str
    role: str  # key, measure, attribute
    aliases: tuple[str, ...]
    dimension: str | None
    references: str | None
    example: Any
    default: Any


@dataclass(frozen=True)
class Kind:
    """An upload kind: what the file holds and how it is checked."""

    name: str
    model: type[pa.DataFrameModel]
    title: str
    title_zh: str
    is_dictionary: bool

    def title_in(self, lang: str) -> str:
        """The kind's title in ``lang`` ("zh" or "en")."""
        return self.title_zh if lang == "zh" else self.title

    @cached_property
    def schema(self) -> pa.DataFrameSchema:
        return self.model.to_schema()

    @cached_property
    def columns(self) -> dict[str, Column]:
        out: dict[str, Column] = {}
        for name, col in self.schema.columns.items():
            meta = col.metadata or {}
            dtype = str(col.dtype)
            kind = "int" if "Int" in dtype else "float" if "Float" in dtype else "str"
            out[name] = Column(
                name=name,
                dtype=kind,
                required=not col.nullable and meta.get("default") is None,
                nullable=col.nullable,
                title=col.title or name,
                title_zh=meta.get("title_zh", name),
                description=col.description or "",
                role=meta.get("role", "attribute"),
                aliases=tuple(meta.get("aliases", ())),
                dimension=meta.get("dimension"),
                references=meta.get("references"),
                example=meta.get("example"),
                default=meta.get("default"),
            )
        return out

    @property
    def keys(self) -> list[str]:
        """Columns that identify a record; a later vintage with the same keys replaces it."""
        unique = self.schema.unique
        return list(unique) if unique else [n for n, c in self.columns.items() if c.role == "key"]

    @property
    def measures(self) -> list[str]:
        return [n for n, c in self.columns.items() if c.role == "measure"]


KINDS: dict[str, Kind] = {
    k.name: k
    for k in [
        Kind("regions", Regions, "Regions", "地区", True),
        Kind("industries", Industries, "Industries", "行业", True),
        Kind("cluster-categories", ClusterCategories, "Cluster categories", "集群类别", True),
        Kind("clusters", Clusters, "Clusters", "产业集群", True),
        Kind("cluster-industries", ClusterIndustries, "Category industries", "集群类别行业构成", True),
        Kind("regional-industry", RegionalIndustry, "Regional industry records", "地区行业数据", False),
        Kind("cluster-indicators", ClusterIndicators, "Cluster indicators", "集群指标", False),
        Kind("firms", Firms, "Firms", "企业数据", False),
    ]
}

#: The order in which kinds must land: dictionaries before the records that refer to them.
LANDING_ORDER = list(KINDS)


def kind_title(name: str, lang: str) -> str:
    """An upload kind's title in ``lang`` ("zh" or "en"); the name itself when it is not a kind.

    >>> kind_title("regions", "zh"), kind_title("regions", "en"), kind_title("mart_growth", "zh")
    ('地区', 'Regions', 'mart_growth')
    """
    return KINDS[name].title_in(lang) if name in KINDS else name


def get_kind(name: str) -> Kind:
    """The kind called ``name``; raises ``UnknownKind`` listing the valid kinds."""
    try:
        return KINDS[name]
    except KeyError:
        raise UnknownKind(f"Unknown upload kind {name!r}; use one of: {', '.join(KINDS)}.") from None


__all__ = ["KINDS", "LANDING_ORDER", "Column", "Kind", "get_kind", "kind_title"]
