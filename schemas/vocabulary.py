"""Names of the tokens the warehouse stores in English (cluster categories, size bands, portfolio quadrants,
indicator units, methodology option values) in Chinese, and the few English phrasings that differ from the token.
The app, the exports and the bulletin all read them here.

    >>> OPTIONS_ZH["minmax"], CATEGORIES_ZH["new energy"], token_name("dunn", "en")
    ('最小-最大', '新能源', 'Dunn')
"""

from __future__ import annotations

SIZE_BANDS_ZH = {"under 1 billion": "10亿元以下", "1-10 billion": "10亿-100亿元", "over 10 billion": "100亿元以上"}

QUADRANTS_ZH = {"Star": "明星", "Mature": "成熟", "Emerging": "新兴", "Transforming": "转型"}

CATEGORIES_ZH = {
    "equipment manufacturing": "装备制造", "chemical engineering": "石化化工",
    "agricultural products processing": "农产品加工", "raw materials deep processing": "原材料深加工",
    "new energy": "新能源", "new materials": "新材料", "new medicines": "生物医药",
    "electronic information and software": "电子信息和软件", "environmental protection": "节能环保",
}

UNITS_ZH = {
    "yuan": "元", "persons": "人", "firms": "家", "ratio": "比值", "%": "%", "index 0-1": "指数（0-1）",
    "per 100 firms": "每百家企业", "per 10,000 persons": "每万人", "yuan per person": "元/人",
    "tce per 10,000 yuan": "吨标准煤/万元", "per 1,000 persons": "每千人", "count": "个",
}

#: methodology option values (levels, weights, conventions) in Chinese
OPTIONS_ZH = {
    "none": "无", "coinr": "COINr 规则（缩尾或对数）", "winsorise": "缩尾", "log": "对数变换", "minmax": "最小-最大",
    "zscore": "Z 分数", "rank": "排名", "percentile": "百分位", "goalposts": "目标值法", "distance_to_target": "距目标",
    "distance_to_best": "距最优", "ratio_to_mean": "与均值之比", "manual": "手工设定", "equal": "等权", "pca": "主成分",
    "fa": "因子分析", "arithmetic": "算术平均", "geometric": "几何平均", "harmonic": "调和平均",
    "generalised": "广义平均",
    "mazziotta_pareto": "Mazziotta-Pareto", "mean": "均值", "median": "中位数", "group_mean": "组均值",
    "group_median": "组中位数", "locf": "沿用上期", "knn": "K 近邻", "iterative": "迭代插补", "indicator": "指标",
    "pillar": "维度", "index": "综合指数", "total": "全域合计（含本地区）", "others": "其他地区合计",
    "others_mean": "其他地区均值", "dunn": "Dunn 经典方法", "esteban_marquillas": "Esteban-Marquillas 分解",
    "T": "T 指数（GE(1)）", "L": "L 指数（平均对数偏差）",
}

OPTIONS_EN = {"total": "the total including the region", "others": "the sum of the other regions",
              "others_mean": "the mean of the other regions", "dunn": "Dunn",
              "esteban_marquillas": "Esteban-Marquillas",
              "T": "Theil T (GE(1))", "L": "Theil L (mean log deviation)"}


def token_name(token: str | None, lang: str, table: str = "options") -> str:
    """``token`` in ``lang``: its Chinese name from the table (``options``, ``categories``, ``quadrants``,
    ``units``, ``bands``), its English phrasing where it has one, else the token itself."""
    if not token:
        return "–"
    zh = {"options": OPTIONS_ZH, "categories": CATEGORIES_ZH, "quadrants": QUADRANTS_ZH, "units": UNITS_ZH,
          "bands": SIZE_BANDS_ZH}[table]
    if lang == "zh":
        return zh.get(token, token)
    return OPTIONS_EN.get(token, token) if table == "options" else token
