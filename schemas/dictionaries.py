"""Dictionary kinds: regions, industries, cluster categories, clusters and the category -> industry map.

Two meanings of "cluster" are kept apart: a **cluster category** (USCMP's "cluster") is a set of industries whose
employment, LQ and strength can be measured in every region; a **cluster** as the province names it is a located
agglomeration (葫芦岛船舶产业集群) with a lead region, member regions, a tier and one category.

Dictionaries name the codes that record uploads use. A record whose code is in no landed dictionary is rejected
with the list of known codes, so dictionaries are uploaded first (the demo does it in that order).
"""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from schemas.base import MAX_YEAR, MIN_YEAR, attribute_field, code_field, text_field

REGION_LEVELS = ["country", "province", "state", "zone", "city", "county", "other"]
CLUSTER_TIERS = ["mainstay", "emerging"]


class Regions(pa.DataFrameModel):
    """Regions: provinces, development zones, prefecture cities, counties (GB/T 2260 codes by default)."""

    code: str = code_field(
        title="Region code", title_zh="地区代码", example="210100",
        description="Region code, GB/T 2260 six-digit form by default (210100 = Shenyang); any code scheme works.",
        aliases=["地区代码", "区划代码", "行政区划代码", "代码", "region_code", "code", "region"],
    )
    name: str = text_field(
        title="Name", title_zh="地区名称", nullable=False, example="沈阳市",
        description="Region name as the bureau writes it (Chinese).",
        aliases=["地区名称", "地区", "名称", "name", "region_name"],
    )
    name_en: str | None = text_field(
        title="English name", title_zh="英文名称", example="Shenyang",
        description="English name, shown when the interface is in English.",
        aliases=["英文名称", "英文名", "name_en", "english_name"],
    )
    parent_code: str | None = code_field(
        title="Parent code", title_zh="上级代码", key=False, nullable=True, references="regions", example="210000",
        description="Administrative parent (a city's province); must be a region in this file or already landed.",
        aliases=["上级代码", "上级地区代码", "parent_code", "parent"],
    )
    level: str = text_field(
        title="Level", title_zh="层级", nullable=False, isin=REGION_LEVELS, example="city",
        description="One of: " + ", ".join(REGION_LEVELS) + ".",
        aliases=["层级", "级别", "level"],
    )
    groups: str | None = text_field(
        title="Groups", title_zh="所属区域", example="Z-CENTRAL",
        description=(
            "Codes of the grouping regions (level 'zone') this region belongs to, separated by ';'. "
            "Groupings may overlap (Yingkou is in both the central and the coastal zone)."
        ),
        aliases=["所属区域", "所属经济区", "区域", "groups", "zones", "zone"],
    )
    lon: float | None = attribute_field(
        title="Longitude", title_zh="经度", role="attribute", example=123.43, nullable=True, ge=-180, le=180,
        description="Longitude of the region's seat in degrees east (WGS 84): where the maps draw its symbol when "
                    "no boundary file is installed. Optional.",
        aliases=["经度", "longitude", "lon", "lng"],
    )
    lat: float | None = attribute_field(
        title="Latitude", title_zh="纬度", role="attribute", example=41.80, nullable=True, ge=-90, le=90,
        description="Latitude of the region's seat in degrees north (WGS 84). Optional; given with the longitude.",
        aliases=["纬度", "latitude", "lat"],
    )

    class Config:
        strict = True
        coerce = True
        unique = ["code"]


class Industries(pa.DataFrameModel):
    """Industries of a classification (GB/T 4754-2017 by default; NAICS, NACE work the same way)."""

    code: str = code_field(
        title="Industry code", title_zh="行业代码", example="37",
        description="Industry code at any level: section letter (C), division (37), group (371), class (3711).",
        aliases=["行业代码", "代码", "industry_code", "code", "industry"],
    )
    name: str = text_field(
        title="Name", title_zh="行业名称", nullable=False, example="铁路、船舶、航空航天和其他运输设备制造业",
        description="Industry title (Chinese).",
        aliases=["行业名称", "名称", "name", "industry_name"],
    )
    name_en: str | None = text_field(
        title="English name", title_zh="英文名称", example="Railway, ship, aerospace and other transport equipment",
        description="English title.",
        aliases=["英文名称", "英文名", "name_en", "english_name"],
    )
    parent_code: str | None = code_field(
        title="Parent code", title_zh="上级代码", key=False, nullable=True, references="industries", example="C",
        description="The code one level up (a division's section); in this file or already landed.",
        aliases=["上级代码", "上级行业代码", "parent_code", "parent"],
    )
    level: str = text_field(
        title="Level", title_zh="层级", nullable=False, example="division",
        description=(
            "Hierarchy level, e.g. section, division, group, class (GB/T 4754) or sector ... national industry "
            "(NAICS). Indices compare industries of the same level only, so totals are never double counted."
        ),
        aliases=["层级", "级别", "门类/大类", "level"],
    )
    classification: str = text_field(
        title="Classification", title_zh="分类标准", nullable=False, example="GB/T 4754-2017",
        description="The classification the code belongs to, e.g. GB/T 4754-2017, NAICS 2012.",
        aliases=["分类标准", "标准", "classification", "scheme"],
    )

    class Config:
        strict = True
        coerce = True
        unique = ["code"]


class ClusterCategories(pa.DataFrameModel):
    """Cluster categories: sets of industries measurable in every region (USCMP's "clusters")."""

    code: str = code_field(
        title="Category code", title_zh="集群类别代码", example="EQ05",
        description="The bureau's code of the cluster category.",
        aliases=["集群类别代码", "类别代码", "代码", "category_code", "code", "category"],
    )
    name: str = text_field(
        title="Name", title_zh="类别名称", nullable=False, example="交通运输装备",
        description="Category name (Chinese), e.g. 交通运输装备 (railway, ships, aerospace).",
        aliases=["集群类别名称", "类别名称", "名称", "name", "category_name"],
    )
    name_en: str | None = text_field(
        title="English name", title_zh="英文名称", example="Transport equipment",
        description="English name.",
        aliases=["英文名称", "英文名", "name_en", "english_name"],
    )
    parent_code: str | None = code_field(
        title="Parent code", title_zh="上级类别代码", key=False, nullable=True, references="cluster-categories",
        example="EQ",
        description="A broader category this one belongs to (装备制造); in this file or already landed.",
        aliases=["上级类别代码", "上级代码", "parent_code", "parent"],
    )

    class Config:
        strict = True
        coerce = True
        unique = ["code"]


class Clusters(pa.DataFrameModel):
    """Named clusters: the province's mainstay and emerging clusters, each located (a lead region, perhaps member
    regions) and of one cluster category."""

    code: str = code_field(
        title="Cluster code", title_zh="集群代码", example="LN-EQ-001",
        description="The bureau's cluster code.",
        aliases=["集群代码", "产业集群代码", "代码", "cluster_code", "code", "cluster"],
    )
    name: str = text_field(
        title="Name", title_zh="集群名称", nullable=False, example="沈阳航空装备产业集群",
        description="Cluster name (Chinese).",
        aliases=["集群名称", "产业集群名称", "名称", "name", "cluster_name"],
    )
    name_en: str | None = text_field(
        title="English name", title_zh="英文名称", example="Shenyang aviation equipment cluster",
        description="English name.",
        aliases=["英文名称", "英文名", "name_en", "english_name"],
    )
    tier: str = text_field(
        title="Tier", title_zh="集群类型", nullable=False, isin=CLUSTER_TIERS, example="mainstay",
        description="mainstay (the four traditional categories) or emerging (strategic emerging industries).",
        aliases=["集群类型", "类型", "tier", "type"],
    )
    category: str = text_field(
        title="Sector", title_zh="产业领域", nullable=False, example="equipment manufacturing",
        description="The province's grouping of its clusters, e.g. equipment manufacturing, new energy (a label).",
        aliases=["产业领域", "产业类别", "领域", "sector", "category"],
    )
    category_code: str | None = code_field(
        title="Category code", title_zh="集群类别代码", key=False, nullable=True, references="cluster-categories",
        example="EQ05",
        description=(
            "The cluster category (a set of industries) the cluster belongs to; a landed cluster-categories code. "
            "Empty: the cluster is taken as a category of its own (deprecated; give every cluster a category)."
        ),
        aliases=["集群类别代码", "类别代码", "category_code"],
    )
    lead_region: str = code_field(
        title="Lead region", title_zh="所在地区代码", key=False, references="regions", example="210100",
        description="Code of the region the cluster is based in; must be a landed region.",
        aliases=["所在地区代码", "所在地区", "牵头地区", "lead_region", "region_code", "region"],
    )
    member_regions: str | None = text_field(
        title="Member regions", title_zh="成员地区代码", example="211200",
        description="Codes of the other regions the cluster spans, separated by ';' (empty: the lead region only).",
        aliases=["成员地区代码", "成员地区", "涉及地区", "member_regions", "members"],
    )
    description: str | None = text_field(
        title="Description", title_zh="简介", example="Aircraft and parts around Shenyang's aviation park.",
        description="Free text shown on the cluster scorecard.",
        aliases=["简介", "说明", "描述", "description", "notes"],
    )

    class Config:
        strict = True
        coerce = True
        unique = ["code"]


class ClusterIndustries(pa.DataFrameModel):
    """The industries each cluster category is made of, with weights and validity years (definitions change).

    A map keyed by named cluster (``cluster_code``, the layout before categories) is still read for one release:
    each row is taken for the cluster's category (or for the cluster as a category of its own), with a warning."""

    category_code: str | None = code_field(
        title="Category code", title_zh="集群类别代码", references="cluster-categories", nullable=True,
        example="EQ05", description="A landed cluster category code.",
        aliases=["集群类别代码", "类别代码", "category_code", "category"],
    )
    cluster_code: str | None = code_field(
        title="Cluster code (deprecated)", title_zh="集群代码（已弃用）", references="clusters", nullable=True,
        example=None,
        description="Deprecated: a named cluster's code instead of a category's; use category_code.",
        aliases=["集群代码", "产业集群代码", "cluster_code", "cluster"],
    )
    industry_code: str = code_field(
        title="Industry code", title_zh="行业代码", references="industries", example="37",
        description="A landed industry code.",
        aliases=["行业代码", "industry_code", "industry"],
    )
    weight: float = attribute_field(
        title="Weight", title_zh="权重", role="attribute", example=1.0, default=1.0,
        description="Share of the industry that belongs to the category, in (0, 1]; 1 when left empty.",
        aliases=["权重", "比重", "weight", "share"],
        gt=0, le=1,
    )
    valid_from: int | None = attribute_field(
        title="Valid from", title_zh="起始年份", role="key", example=2013,
        description="First year the mapping applies (empty: always).",
        aliases=["起始年份", "开始年份", "valid_from", "from_year"],
        ge=MIN_YEAR, le=MAX_YEAR, nullable=True,
    )
    valid_to: int | None = attribute_field(
        title="Valid to", title_zh="截止年份", role="attribute", example=None,
        description="Last year the mapping applies (empty: still valid).",
        aliases=["截止年份", "结束年份", "valid_to", "to_year"],
        ge=MIN_YEAR, le=MAX_YEAR, nullable=True,
    )

    @pa.dataframe_check
    def valid_from_not_after_valid_to(cls, data: pa.PolarsData) -> pl.LazyFrame:
        """valid_from must not be later than valid_to."""
        return data.lazyframe.select(
            pl.col("valid_from").is_null()
            | pl.col("valid_to").is_null()
            | (pl.col("valid_from") <= pl.col("valid_to"))
        )

    @pa.dataframe_check
    def category_or_cluster(cls, data: pa.PolarsData) -> pl.LazyFrame:
        """Each row names a category code (or, deprecated, a cluster code), not both."""
        return data.lazyframe.select(pl.col("category_code").is_null() != pl.col("cluster_code").is_null())

    class Config:
        strict = True
        coerce = True
        unique = ["category_code", "cluster_code", "industry_code", "valid_from"]
