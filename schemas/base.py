"""Building blocks for upload schemas: typed fields that carry their aliases, roles and units.

Every column of every upload kind is declared once, as a pandera ``Field`` whose ``metadata`` says:

- ``role``: ``key`` (part of the record's identity), ``measure`` (a number with a unit), or ``attribute``;
- ``aliases``: the header spellings accepted for it, Chinese and English (matched after normalisation);
- ``dimension``: for measures, what the number counts (``money``, ``persons``, ``count``, ``energy``);
  declared source units are converted to the dimension's canonical unit on ingest;
- ``references``: for codes, the dictionary kind the code must be present in (``regions`` ...);
- ``title_zh``: the Chinese column title (``title`` is the English one).

The ingest step, the upload templates and the data dictionary all read these declarations, so a column is
described in exactly one place.
"""

from __future__ import annotations

from typing import Any

import pandera.polars as pa

#: A code: letters, digits, dot, dash, underscore; starts with a letter or digit; at most 32 characters.
#: Wide enough for GB/T 2260 (210100), GB/T 4754 (C, 13, 1311), NAICS (31-33), NUTS (DE1), REAT (WZ08-B).
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,31}$"

MIN_YEAR = 1949
MAX_YEAR = 2100


def attribute_field(
    *,
    title: str,
    title_zh: str,
    description: str,
    role: str,
    aliases: list[str],
    dimension: str | None = None,
    references: str | None = None,
    example: Any = None,
    default: Any = None,
    **checks: Any,
) -> Any:
    """A column with its metadata; ``default`` fills empty cells before validation."""
    metadata = {
        "default": default,
        "role": role,
        "title_zh": title_zh,
        "aliases": aliases,
        "dimension": dimension,
        "references": references,
        "example": example,
    }
    return pa.Field(title=title, description=description, metadata=metadata, **checks)


def code_field(
    *,
    title: str,
    title_zh: str,
    description: str,
    aliases: list[str],
    references: str | None = None,
    key: bool = True,
    nullable: bool = False,
    example: str | None = None,
) -> Any:
    """A code column, well-formed by :data:`CODE_PATTERN`, optionally checked against a landed dictionary."""
    return attribute_field(
        title=title,
        title_zh=title_zh,
        description=description,
        role="key" if key else "attribute",
        aliases=aliases,
        references=references,
        example=example,
        str_matches=CODE_PATTERN,
        nullable=nullable,
    )


def year_field(
    *, title: str = "Year", title_zh: str = "年份", description: str, aliases: list[str] | None = None,
    key: bool = True, nullable: bool = False, example: int | None = 2022,
) -> Any:
    """A calendar year between :data:`MIN_YEAR` and :data:`MAX_YEAR`."""
    return attribute_field(
        title=title,
        title_zh=title_zh,
        description=description,
        role="key" if key else "attribute",
        aliases=aliases if aliases is not None else ["年份", "年度", "year", "yr"],
        example=example,
        ge=MIN_YEAR,
        le=MAX_YEAR,
        nullable=nullable,
    )


def measure_field(
    *,
    title: str,
    title_zh: str,
    description: str,
    aliases: list[str],
    dimension: str,
    allow_negative: bool = False,
    example: float | None = None,
) -> Any:
    """A measure: nullable (not reported), non-negative unless ``allow_negative``, in a canonical unit."""
    checks: dict[str, Any] = {} if allow_negative else {"ge": 0}
    return attribute_field(
        title=title,
        title_zh=title_zh,
        description=description,
        role="measure",
        aliases=aliases,
        dimension=dimension,
        example=example,
        nullable=True,
        **checks,
    )


def text_field(
    *,
    title: str,
    title_zh: str,
    description: str,
    aliases: list[str],
    nullable: bool = True,
    isin: list[str] | None = None,
    example: str | None = None,
) -> Any:
    """A free-text or enumerated attribute."""
    checks: dict[str, Any] = {"str_length": {"max_value": 2000}}
    if isin is not None:
        checks = {"isin": isin}
    return attribute_field(
        title=title,
        title_zh=title_zh,
        description=description,
        role="attribute",
        aliases=aliases,
        example=example,
        nullable=nullable,
        **checks,
    )
