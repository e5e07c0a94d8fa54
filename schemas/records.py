"""Record kinds: regional-industry, cluster-indicators and firms.

Measures are nullable (not reported) but never negative (profit excepted), every row reports at least one measure,
and codes must be present in the landed dictionaries. Values are stored in canonical units: yuan, persons,
tonnes of standard coal equivalent (tce), plain counts.
"""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from schemas.base import code_field, measure_field, text_field, year_field

_MONEY_NOTE = "Canonical unit yuan (元); 万元 and 亿元 headers or --unit are converted on ingest."
_PERSONS_NOTE = "Canonical unit persons (人); 万人 is converted on ingest."


def at_least_one(data: pa.PolarsData, measures: list[str]) -> pl.LazyFrame:
    """Row-wise: at least one of ``measures`` (those present in the frame) is reported."""
    present = [m for m in measures if m in data.lazyframe.collect_schema().names()]
    if not present:
        return data.lazyframe.select(pl.lit(False).alias("any_measure"))
    return data.lazyframe.select(pl.any_horizontal([pl.col(m).is_not_null() for m in present]).alias("any_measure"))


def measure_columns(model: type[pa.DataFrameModel]) -> list[str]:
    """The columns of ``model`` whose role is ``measure``."""
    return [
        name for name, col in model.to_schema().columns.items() if (col.metadata or {}).get("role") == "measure"
    ]


def _region_ref(*, key: bool = True, nullable: bool = False, description: str = "A landed region code."):
    return code_field(
        title="Region code", title_zh="地区代码", references="regions", key=key, nullable=nullable,
        example="210100", description=description,
        aliases=["地区代码", "区划代码", "行政区划代码", "region_code", "region", "area_code", "geo"],
    )


def _industry_ref(*, key: bool = True, description: str = "A landed industry code."):
    return code_field(
        title="Industry code", title_zh="行业代码", references="industries", key=key, example="37",
        description=description,
        aliases=["行业代码", "行业", "industry_code", "industry", "ind_code", "naics", "nace"],
    )


def _cluster_ref(*, key: bool = True, nullable: bool = False, description: str = "A landed cluster code."):
    return code_field(
        title="Cluster code", title_zh="集群代码", references="clusters", key=key, nullable=nullable,
        example="LN-EQ-001", description=description,
        aliases=["集群代码", "产业集群代码", "所属集群", "集群", "cluster_code", "cluster"],
    )


def _employment(example: float, description: str = "Persons employed"):
    return measure_field(
        title="Employment", title_zh="从业人员", dimension="persons", example=example,
        description=f"{description}. {_PERSONS_NOTE}",
        aliases=["从业人员", "从业人员数", "从业人员平均人数", "就业人数", "employment", "emp", "employees", "jobs"],
    )


def _output(example: float, *, title: str = "Gross output value", title_zh: str = "工业总产值",
            description: str = "Gross (industrial) output value"):
    return measure_field(
        title=title, title_zh=title_zh, dimension="money", example=example,
        description=f"{description}. {_MONEY_NOTE}",
        aliases=["工业总产值", "总产值", "产值", "集群产值", "output_value", "output", "gross_output"],
    )


def _exports(example: float):
    return measure_field(
        title="Exports", title_zh="出口交货值", dimension="money", example=example,
        description=f"Export delivery value. {_MONEY_NOTE}",
        aliases=["出口交货值", "出口额", "出口", "exports", "export_value"],
    )


class RecordModel(pa.DataFrameModel):
    """What every record kind shares: strict columns, coercion at the upload edge, at least one measure a row."""

    @pa.dataframe_check
    def at_least_one_measure(cls, data: pa.PolarsData) -> pl.LazyFrame:
        """Every row reports at least one measure."""
        return at_least_one(data, measure_columns(cls))

    class Config:
        strict = True
        coerce = True


class RegionalIndustry(RecordModel):
    """Region x industry x year records: employment, establishments, output and the rest (any subset)."""

    region_code: str = _region_ref()
    industry_code: str = _industry_ref()
    year: int = year_field(description="Reference year of the record.")
    employment: float | None = _employment(52000, "Persons employed (annual average)")
    establishments: float | None = measure_field(
        title="Establishments", title_zh="法人单位数", dimension="count", example=310,
        description="Number of establishments (legal units).",
        aliases=["法人单位数", "企业数", "单位数", "establishments", "estabs", "firms", "units"],
    )
    output_value: float | None = _output(48_500_000_000)
    value_added: float | None = measure_field(
        title="Value added", title_zh="增加值", dimension="money", example=12_000_000_000,
        description="Value added. " + _MONEY_NOTE,
        aliases=["工业增加值", "增加值", "value_added", "gva", "va"],
    )
    revenue: float | None = measure_field(
        title="Operating revenue", title_zh="营业收入", dimension="money", example=50_000_000_000,
        description="Operating (main business) revenue. " + _MONEY_NOTE,
        aliases=["营业收入", "主营业务收入", "revenue", "sales", "turnover"],
    )
    wages: float | None = measure_field(
        title="Wages", title_zh="工资总额", dimension="money", example=4_100_000_000,
        description="Total wages paid in the year. " + _MONEY_NOTE,
        aliases=["工资总额", "工资", "wages", "payroll", "total_wages"],
    )
    exports: float | None = _exports(3_000_000_000)

    class Config:
        unique = ["region_code", "industry_code", "year"]


class ClusterIndicators(RecordModel):
    """Cluster x [region] x year indicators reported by the cluster offices."""

    cluster_code: str = _cluster_ref()
    region_code: str | None = _region_ref(
        nullable=True, description="The part of the cluster in this region; empty for the whole cluster."
    )
    year: int = year_field(description="Reference year.")
    output_value: float | None = _output(
        3_200_000_000, title="Output value", title_zh="总产值", description="Gross output value of the cluster's firms"
    )
    employment: float | None = _employment(8500)
    firms: float | None = measure_field(
        title="Firms", title_zh="企业数", dimension="count", example=64,
        description="Number of firms in the cluster.",
        aliases=["企业数", "企业个数", "firms", "firm_count", "establishments"],
    )
    new_firms: float | None = measure_field(
        title="New firms", title_zh="新增企业数", dimension="count", example=5,
        description="Firms that joined the cluster in the year.",
        aliases=["新增企业数", "新设企业数", "new_firms"],
    )
    rd_spending: float | None = measure_field(
        title="R&D spending", title_zh="研发经费支出", dimension="money", example=64_000_000,
        description="Internal R&D expenditure. " + _MONEY_NOTE,
        aliases=["研发经费支出", "R&D经费", "研发投入", "研发经费", "rd_spending", "r&d", "rd"],
    )
    rd_staff: float | None = measure_field(
        title="R&D staff", title_zh="研发人员", dimension="persons", example=420,
        description="R&D personnel. " + _PERSONS_NOTE,
        aliases=["研发人员", "R&D人员", "研发人员数", "rd_staff", "researchers"],
    )
    patents: float | None = measure_field(
        title="Patents", title_zh="专利授权数", dimension="count", example=85,
        description="Patents granted in the year.",
        aliases=["专利授权数", "专利数", "有效发明专利数", "patents"],
    )
    new_product_sales: float | None = measure_field(
        title="New-product sales", title_zh="新产品销售收入", dimension="money", example=480_000_000,
        description="Sales revenue of new products. " + _MONEY_NOTE,
        aliases=["新产品销售收入", "新产品销售额", "new_product_sales"],
    )
    exports: float | None = _exports(250_000_000)
    profit: float | None = measure_field(
        title="Total profit", title_zh="利润总额", dimension="money", allow_negative=True, example=190_000_000,
        description="Total profit; may be negative (a loss). " + _MONEY_NOTE,
        aliases=["利润总额", "利润", "profit", "profits"],
    )
    energy_use: float | None = measure_field(
        title="Energy use", title_zh="综合能源消费量", dimension="energy", example=120_000,
        description="Total energy consumption in tonnes of standard coal equivalent (吨标准煤; 万吨标准煤 converted).",
        aliases=["综合能源消费量", "能源消费量", "能耗", "energy_use", "energy"],
    )
    sme_output: float | None = measure_field(
        title="SME output", title_zh="中小企业产值", dimension="money", example=1_400_000_000,
        description="Output of the cluster's small and medium firms. " + _MONEY_NOTE,
        aliases=["中小企业产值", "中小企业总产值", "sme_output"],
    )
    graduates: float | None = measure_field(
        title="Graduates hired", title_zh="新招高校毕业生", dimension="persons", example=260,
        description="University graduates hired in the year.",
        aliases=["新招高校毕业生", "高校毕业生", "毕业生", "graduates"],
    )

    class Config:
        unique = ["cluster_code", "region_code", "year"]


class Firms(RecordModel):
    """Firm x year records for firm-level concentration (Herfindahl, CR4, Ellison-Glaeser)."""

    firm_id: str = code_field(
        title="Firm id", title_zh="企业代码", example="91210100MA0XXXXXXX",
        description="Stable firm identifier (unified social credit code or the bureau's id).",
        aliases=["企业代码", "统一社会信用代码", "组织机构代码", "企业编号", "firm_id", "firm", "id"],
    )
    year: int = year_field(description="Reference year.")
    name: str | None = text_field(
        title="Firm name", title_zh="企业名称", example="某某装备有限公司",
        description="Firm name as registered (shown on scorecards).",
        aliases=["企业名称", "单位名称", "name", "firm_name"],
    )
    region_code: str = _region_ref(key=False, description="Region of the firm's establishment; a landed region code.")
    industry_code: str = _industry_ref(key=False, description="Main industry; a landed industry code.")
    cluster_code: str | None = _cluster_ref(
        key=False, nullable=True, description="Cluster the firm belongs to, if any."
    )
    employment: float | None = _employment(1200)
    output_value: float | None = _output(850_000_000, title="Output value", description="Gross output value")

    class Config:
        unique = ["firm_id", "year"]
