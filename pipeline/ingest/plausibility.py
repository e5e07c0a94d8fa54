"""Plausibility of values against what has landed: warnings that do not block landing.

- Keys already landed: the upload becomes a new vintage whose values replace the landed ones for those keys
  (nothing is overwritten: every vintage is kept); the warning says how many and how many values change.
- Year-on-year jumps: a measure more than ``jump_factor`` times (or less than 1/``jump_factor`` of) the same
  series' value the year before, from the file itself or the newest landed vintage. A unit mistake (万元 read as
  元) is a factor of 10,000; real growth rarely passes 5 (the default, ``Settings.extra["jump_factor"]``). Only
  amounts are checked (money, persons, energy), not counts (a cluster's patents go from 1 to 9) or profits.
- A part larger than its whole in one record (value added above output, exports above output ...):
  :mod:`pipeline.ingest.consistency`.
- A cluster larger than its industries: a cluster's output or employment above the total of the industries it is
  made of (landed cluster-industries and regional-industry data of the same region and year; for a whole
  cluster, the largest total over regions of one level). Statistical scope can differ (firms above a size
  threshold, establishments and firms), so it is a warning.
"""

from __future__ import annotations

import polars as pl

from pipeline.core.messages import Msg
from pipeline.core.ops import OpsStore
from pipeline.core.settings import Settings
from pipeline.ingest.consistency import parts_over_wholes
from pipeline.ingest.landing import landed_frame, landed_lazy
from pipeline.ingest.records import Prepared
from pipeline.ingest.report import SOURCE_ROW, Failure
from pipeline.ingest.units import unit_word
from schemas import Kind

DEFAULT_JUMP_FACTOR = 5.0
#: Jumps are checked for amounts (money, persons, energy) that cannot be negative; counts of firms or patents and
#: profits move by large factors for real.
JUMP_DIMENSIONS = ("money", "persons", "energy")
MAX_LINES = 100


def jump_factor_of(settings: Settings, jump_factor: float | None = None) -> float:
    """The factor from the argument, else ``Settings.extra["jump_factor"]``, else 5."""
    if jump_factor is not None:
        return float(jump_factor)
    return float(settings.extra.get("jump_factor", DEFAULT_JUMP_FACTOR))


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.4g}"


def _newest(frame: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    return frame.sort("vintage", descending=True).unique(keys, keep="first", maintain_order=True)


class Landed:
    """The newest landed record of each key of a kind, read a year at a time where the keys hold a year (a census
    firm file is 25 million firm-years: all vintages read at once held 22 GB when it was uploaded again)."""

    def __init__(self, settings: Settings, kind: Kind, schema: pl.Schema) -> None:
        self.scan = landed_lazy(settings, kind.name)
        self.single = len(OpsStore(settings.ops_path).uploads(kind.name)) == 1  # one vintage: its keys are unique
        self.keys = list(kind.keys)
        self.schema = schema  # the upload's types, which the landed records are read in (hashes compare types)
        self.by_year = "year" in self.keys
        self._cache: dict[int | None, pl.DataFrame | None] = {}

    def newest(self, year: int | None = None) -> pl.DataFrame | None:
        """The newest landed record of each key (of ``year`` when the keys hold a year), with ``vintage``."""
        if self.scan is None:
            return None
        if year not in self._cache:
            if len(self._cache) >= 2:  # a year and the year before it are all that is ever compared at once
                self._cache.pop(next(iter(self._cache)))
            lf = self.scan.filter(pl.col("year") == year) if self.by_year and year is not None else self.scan
            frame = lf.collect()
            wanted = {c: t for c, t in self.schema.items() if c in frame.columns and frame.schema[c] != t}
            frame = frame.cast(wanted)
            self._cache[year] = frame if self.single else _newest(frame, self.keys)
        return self._cache[year]


def plausibility(settings: Settings, kind: Kind, prepared: Prepared, *, jump_factor: float | None = None
                 ) -> list[Failure]:
    """Every plausibility warning of ``prepared`` (a validated upload of ``kind``)."""
    frame = prepared.frame
    if frame.height == 0:
        return []
    landed = Landed(settings, kind, frame.schema)
    replaced = _Replaced(kind, prepared)
    jumps = _Jumps(kind, prepared, jump_factor_of(settings, jump_factor))
    file = frame.select(SOURCE_ROW, *kind.columns)
    # a year at a time where the keys hold a year: that year's newest landed records, and the year before's
    for year in (_years(file) if landed.by_year else [None]):
        part = file.filter(pl.col("year") == year) if year is not None else file
        if year is not None and jumps.measures:  # the year before first: it is the one the cache lets go next
            jumps.add(part, file.filter(pl.col("year") == year - 1), landed.newest(year - 1))
        if landed.scan is not None:
            replaced.add(part, landed.newest(year))
    lines = replaced.lines() + jumps.lines() + parts_over_wholes(kind, prepared)
    if kind.name == "cluster-indicators":
        lines += cluster_exceeds_industries(settings, prepared)
    if kind.name == "cluster-industries":
        lines += keyed_by_cluster(prepared)
    return lines


def keyed_by_cluster(prepared: Prepared) -> list[Failure]:
    """The map keyed by named cluster (the layout before categories): read for one release, with this warning."""
    if "cluster_code" not in prepared.frame.columns:
        return []
    rows = prepared.frame.filter(pl.col("cluster_code").is_not_null())
    if rows.is_empty():
        return []
    first = rows.get_column(SOURCE_ROW).min()
    return [Failure(row=first, column=prepared.headers.get("cluster_code", "cluster_code"),
                    value=rows.get_column("cluster_code")[0], rule="keyed_by_cluster", field="cluster_code",
                    fix=Msg("plaus.keyed_by_cluster", n=rows.height))]


def cluster_industry_map(settings: Settings) -> pl.DataFrame | None:
    """Named cluster -> industries (cluster_code, industry_code, weight, valid_from, valid_to): the landed
    category -> industry map through each landed cluster's category; rows of the old layout keyed by cluster
    apply to that cluster alone."""
    mapping = landed_frame(settings, "cluster-industries")
    if mapping is None:
        return None
    for column in ("category_code", "cluster_code"):
        if column not in mapping.columns:
            mapping = mapping.with_columns(pl.lit(None, pl.String).alias(column))
    mapping = _newest(mapping, ["category_code", "cluster_code", "industry_code", "valid_from"])
    clusters = landed_frame(settings, "clusters")
    by_category = pl.DataFrame(schema={"cluster_code": pl.String, "category_code": pl.String})
    if clusters is not None and "category_code" in clusters.columns:
        by_category = _newest(clusters, ["code"]).select(pl.col("code").alias("cluster_code"), "category_code")
    columns = ["cluster_code", "industry_code", "weight", "valid_from", "valid_to"]
    of_category = mapping.filter(pl.col("category_code").is_not_null()).drop("cluster_code").join(
        by_category.filter(pl.col("category_code").is_not_null()), on="category_code").select(columns)
    return pl.concat([of_category, mapping.filter(pl.col("cluster_code").is_not_null()).select(columns)])


def _years(frame: pl.DataFrame) -> list[int]:
    return frame.get_column("year").drop_nulls().unique().sort().to_list()


class _Replaced:
    """Keys already landed: one line for the file, from the years compared one by one."""

    def __init__(self, kind: Kind, prepared: Prepared) -> None:
        self.kind, self.prepared = kind, prepared
        self.keys = [k for k in kind.keys if k in prepared.frame.columns]
        self.n = self.changed = 0
        self.first: list[int] = []  # the first ten rows
        self.vintages: set[int] = set()
        self.key_text = ""

    def add(self, part: pl.DataFrame, newest: pl.DataFrame | None) -> None:
        if newest is None or not self.keys:
            return
        both = part.join(newest, on=self.keys, how="inner", nulls_equal=True, suffix="__landed")
        if both.height == 0:
            return
        values = [c for c in self.kind.columns if c not in self.keys and f"{c}__landed" in both.columns]
        if values:
            self.changed += both.filter(pl.any_horizontal([pl.col(c).ne_missing(pl.col(f"{c}__landed"))
                                                           for c in values])).height
        self.vintages |= set(both.get_column("vintage").unique().to_list())
        both = both.sort(SOURCE_ROW)
        head = both.get_column(SOURCE_ROW).head(10).to_list()
        if not self.first or head[0] < self.first[0]:
            self.key_text = "/".join(str(both.row(0, named=True)[k]) for k in self.keys)  # the first row's key
        self.first = sorted(self.first + head)[:10]
        self.n += both.height

    def lines(self) -> list[Failure]:
        if self.n == 0:
            return []
        return [Failure(
            row=self.first[0], column=" + ".join(self.prepared.headers.get(k, k) for k in self.keys),
            value=self.key_text, rule="replaces_landed",
            fix=Msg("plaus.replaces_landed", n=self.n, rows=[str(r) for r in self.first],
                    etc=" …" if self.n > 10 else "", vintages=[str(v) for v in sorted(self.vintages)],
                    changed=self.changed),
        )]


class _Jumps:
    """Year-on-year jumps: each year's records against their series' record of the year before (the file's, else
    the newest landed one)."""

    def __init__(self, kind: Kind, prepared: Prepared, factor: float) -> None:
        self.kind, self.prepared, self.factor = kind, prepared, factor
        self.series = [k for k in kind.keys if k != "year"]
        measures = [m for m in kind.measures
                    if m in prepared.headers and kind.columns[m].dimension in JUMP_DIMENSIONS
                    and any(str(c.name).startswith("greater_than_or_equal_to") for c in kind.schema.columns[m].checks)]
        self.measures = measures if "year" in kind.keys and factor > 1 else []
        self.found: list[pl.DataFrame] = []

    def add(self, now: pl.DataFrame, before: pl.DataFrame, newest: pl.DataFrame | None) -> None:
        series, measures = self.series, self.measures
        keys = [*series, "year"]
        before = before.select(SOURCE_ROW, *keys, *measures).with_columns(pl.lit(None, pl.Int64).alias("vintage"))
        if newest is not None:  # the newest landed records of the year before, where the file has none
            older = newest.join(before, on=keys, how="anti", nulls_equal=True)
            before = pl.concat([before, older.select(pl.lit(None, pl.Int64).alias(SOURCE_ROW), *keys, *measures,
                                                     "vintage")], how="diagonal_relaxed")
        if before.height:
            self.found.append(_year_before(now.select(SOURCE_ROW, *keys, *measures), before, series, measures,
                                           self.factor))

    def lines(self) -> list[Failure]:
        if not self.found:
            return []
        kind, prepared, factor = self.kind, self.prepared, self.factor
        pairs = pl.concat(self.found)
        lines: list[Failure] = []
        for m in self.measures:
            jumps = pairs.filter(_jump(m, factor)).rename({f"before__{m}": "before"})
            label = prepared.headers[m]
            jumps = jumps.sort(SOURCE_ROW).head(MAX_LINES)
            if m in prepared.raw_names and jumps.height:
                raw = prepared.raw_rows(jumps.get_column(SOURCE_ROW).to_list()).select(
                    SOURCE_ROW, pl.col(m).alias("raw"))
                jumps = jumps.join(raw, on=SOURCE_ROW, how="left")
            for rec in jumps.iter_rows(named=True):
                r = rec[m] / rec["before"]
                where = (Msg("plaus.from_row", row=rec["before_row"]) if rec["before_row"] is not None
                         else Msg("plaus.from_vintage", vintage=rec["before_vintage"]))
                times = Msg("plaus.times", ratio=r) if r > 1 else Msg("plaus.fraction", ratio=1 / r)
                unit = unit_word(self.prepared.units, m, kind.columns[m].dimension)
                lines.append(Failure(
                    row=rec[SOURCE_ROW], column=label, value=rec.get("raw"), rule="year_on_year_jump", field=m,
                    fix=Msg("plaus.year_on_year_jump", value=_number(rec[m]), unit=unit, times=times,
                            year=str(rec["year"] - 1), before=_number(rec["before"]), where=where, factor=factor),
                ))
        return lines


def _jump(m: str, factor: float) -> pl.Expr:
    ratio = pl.col(m) / pl.col(f"before__{m}")
    return (pl.col(m) > 0) & (pl.col(f"before__{m}") > 0) & ((ratio > factor) | (ratio < 1 / factor))


def _year_before(now: pl.DataFrame, before: pl.DataFrame, series: list[str], measures: list[str], factor: float
                 ) -> pl.DataFrame:
    """The records ``now`` (of one year) that jump from their series' record in ``before`` (the year before: the
    file's and the newest landed ones), each with ``before__<measure>``, ``before_row`` and ``before_vintage``.

    The series are matched on one 64-bit hash of their keys, joined in polars' streaming engine, which keeps only
    the jumps: a join on the keys themselves held 4.7 GB for a census firm file (25 M firm-years). Equal keys have
    equal hashes; the few jumps found are then checked on the keys, so that two series whose hashes collide are
    never compared."""
    probe = now.lazy().with_row_index("__now").select("__now", pl.struct(series).hash().alias("__key"), *measures)
    build = before.lazy().with_row_index("__before").select(
        "__before", pl.struct(series).hash().alias("__key"), *[pl.col(m).alias(f"before__{m}") for m in measures])
    found = probe.join(build, on="__key").filter(pl.any_horizontal([_jump(m, factor) for m in measures])) \
        .collect(engine="streaming")
    this, then = now[found.get_column("__now")], before[found.get_column("__before")]
    same = pl.select(pl.all_horizontal([this.get_column(k).eq_missing(then.get_column(k)) for k in series])
                     ).to_series() if series else pl.Series([True] * found.height)
    return pl.concat([
        this.select(SOURCE_ROW, *series, "year", *measures),
        found.select(*[f"before__{m}" for m in measures]),
        then.select(pl.col(SOURCE_ROW).alias("before_row"), pl.col("vintage").alias("before_vintage")),
    ], how="horizontal").filter(same)


#: a cluster's measure -> the regional-industry measure its industries' total is read from (a firm has at least
#: one establishment, so a cluster's firms are at most its industries' establishments)
WHOLES = {"output_value": "output_value", "employment": "employment", "firms": "establishments"}


def _cluster_regions(settings: Settings, clusters: pl.Series) -> pl.DataFrame:
    """cluster_code, region_code: each named cluster's lead and member regions (newest landed dictionary)."""
    landed = landed_frame(settings, "clusters")
    if landed is None:
        return pl.DataFrame(schema={"cluster_code": pl.String, "region_code": pl.String})
    if "member_regions" not in landed.columns:
        landed = landed.with_columns(pl.lit(None, pl.String).alias("member_regions"))
    newest = _newest(landed, ["code"]).filter(pl.col("code").is_in(clusters.implode()))
    members = newest.select(pl.col("code").alias("cluster_code"),
                            pl.col("member_regions").str.split(";").alias("region_code")).explode("region_code")
    return pl.concat([newest.select(pl.col("code").alias("cluster_code"), pl.col("lead_region").alias("region_code")),
                      members.with_columns(pl.col("region_code").str.strip_chars())
                      .filter(pl.col("region_code").is_not_null() & (pl.col("region_code") != ""))]).unique()


def cluster_exceeds_industries(settings: Settings, prepared: Prepared) -> list[Failure]:
    """A cluster larger than its industries: a row of one region against the industries' records of that region;
    a whole-cluster row against the sum over the cluster's own lead and member regions. Output and employment
    against the same measure, firms against establishments. A region without a record of one of the industries is
    not compared (a gap is not a zero)."""
    scan = landed_lazy(settings, "regional-industry")
    mapping = cluster_industry_map(settings) if scan is not None else None
    if mapping is None or scan is None:
        return []
    # only the landed records of the clusters' industries in the upload's years (a census is 31 M records)
    clusters = prepared.frame.get_column("cluster_code").unique()
    industries = mapping.filter(pl.col("cluster_code").is_in(clusters.implode())).get_column("industry_code").unique()
    present = scan.collect_schema().names()
    regional = _newest(scan.filter(pl.col("industry_code").is_in(industries.implode())
                                   & pl.col("year").is_in(prepared.frame.get_column("year").unique().implode()))
                       .select("region_code", "industry_code", "year", "vintage",
                               *[c for c in set(WHOLES.values()) if c in present]).collect(),
                       ["region_code", "industry_code", "year"])
    located = _cluster_regions(settings, clusters)
    lines: list[Failure] = []
    for m, whole_measure in WHOLES.items():
        if m not in prepared.headers or whole_measure not in regional.columns:
            continue
        rows = prepared.frame.select(SOURCE_ROW, "cluster_code", "region_code", "year", m).filter(pl.col(m) > 0)
        industries = rows.join(mapping.select("cluster_code", "industry_code", "valid_from", "valid_to"),
                               on="cluster_code").filter(
            (pl.col("valid_from").is_null() | (pl.col("valid_from") <= pl.col("year")))
            & (pl.col("valid_to").is_null() | (pl.col("valid_to") >= pl.col("year"))))
        # a whole-cluster row (no region) stands for the cluster in each of its own regions
        whole = industries.filter(pl.col("region_code").is_null()).drop("region_code").join(located,
                                                                                            on="cluster_code")
        cells = pl.concat([industries.filter(pl.col("region_code").is_not_null()).with_columns(
            pl.lit(False).alias("whole")), whole.select(industries.columns).with_columns(pl.lit(True).alias("whole"))])
        facts = regional.select("region_code", "industry_code", "year",
                                pl.col(whole_measure).alias("industry_value"))
        over = (
            cells.join(facts, on=["region_code", "industry_code", "year"], how="left")
            .group_by(SOURCE_ROW)
            .agg(pl.col(m).first(), pl.col("whole").first(), pl.col("region_code").unique().sort().alias("regions"),
                 pl.col("year").first(), pl.col("industry_value").sum().alias("total"),
                 pl.col("industry_value").is_null().any().alias("gap"),
                 pl.col("industry_code").unique().sort().alias("industries"))
            .filter(~pl.col("gap") & (pl.col(m) > pl.col("total") * (1 + 1e-9))).sort(SOURCE_ROW)
        )
        label = prepared.headers[m]
        unit = unit_word(prepared.units, m, "persons" if m == "employment" else "money" if m == "output_value"
                         else None) if m != "firms" else Msg("unit.firms")
        for rec in over.head(MAX_LINES).iter_rows(named=True):
            where = (Msg("plaus.in_own_regions", regions=list(rec["regions"])) if rec["whole"]
                     else Msg("plaus.in_region", region=rec["regions"][0]))
            what = Msg("plaus.of_establishments") if whole_measure == "establishments" else ""
            lines.append(Failure(
                row=rec[SOURCE_ROW], column=label, value=_number(rec[m]), rule="exceeds_industries", field=m,
                fix=Msg("plaus.exceeds_industries", value=_number(rec[m]), unit=unit, total=_number(rec["total"]),
                        industries=list(rec["industries"][:8]), where=where, year=str(rec["year"]), what=what),
            ))
    return lines
