"""The indices the app shows: names, formulas and definitions in both languages (from METHODS.md), and where each
value is read (which mart column, at which grain), so the Methodology page and the Indices explorer say the same.

Notation (METHODS.md): ``e_ri`` value of industry (or cluster) i in region r; ``e_r``, ``e_i``, ``e`` the totals;
``s_ri = e_ri / e_r``; ``s_i = e_i / e``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IndexInfo:
    key: str
    name: str
    name_zh: str
    formula: str  # LaTeX
    definition: str
    definition_zh: str
    scope: str  # matrix (region x industry), region, industry, balance, cluster
    column: str  # column of the query result that holds the value
    family: str = ""  # the explorer's query family for matrix indices (lq, cluster_lq, growth, shift_share)


INDICES: tuple[IndexInfo, ...] = (
    IndexInfo("lq", "Location quotient", "区位熵", r"LQ_{ri} = \frac{e_{ri}/e_r}{e_i/e}",
              "A region's share of an industry relative to the whole's; above the threshold (1 by default) the region "
              "is specialised. 0/0 is undefined (shown blank, with the reason), never 0.",
              "地区某行业占本地区比重与全域该行业比重之比；高于阈值（默认 1）即为专业化。0/0 无定义（留空并注明原因），"
                  "不记为 0。",
              "matrix", "lq", "lq"),
    IndexInfo("lq_additive", "Additive location quotient", "加法区位熵", r"s_{ri} - s_i",
              "The difference of the two shares instead of their ratio (REAT's additive form): not inflated for "
              "small industries.", "两个比重之差（REAT 加法形式），不会因小行业而放大。", "matrix", "lq_additive",
                  "lq"),
    IndexInfo("cluster_lq", "Cluster category location quotient", "集群类别区位熵",
              r"LQ_{rc} = \frac{e_{rc}/e_r}{e_c/e},\; e_{rc} = \sum_{i \in c} w_i\, e_{ri}",
              "The location quotient of a cluster category in every region: its industries' records summed through "
              "the category-industries map, against the region's all-industry total.",
              "集群类别在各地区的区位熵：按类别行业构成加总其行业数据，与地区全部行业合计相比。", "matrix", "lq",
              "cluster_lq"),
    IndexInfo("growth_rate", "Growth rate", "增长率", r"g_{ri} = e_{ri,t_1}/e_{ri,t_0} - 1",
              "Change between two years in percent of the start value.", "两年间的变化占起始值的百分比。",
              "matrix", "growth_rate", "growth"),
    IndexInfo("competitive", "Shift-share: competitive effect", "偏离份额：竞争效应",
              r"CE_r = \sum_i \left[(e_{ri,2} - e_{ri,1}) - e_{ri,1}\, g_i\right]",
              "Dunn's shift-share splits a region's change into national share (e_r1 g), industry mix "
              "(Σ e_ri1 (g_i − g)) and the competitive effect; the three add up to the actual change.",
              "Dunn 偏离份额法将地区变化分解为全域份额（e_r1 g）、结构效应（Σ e_ri1 (g_i − g)）和竞争效应，"
                  "三者之和等于实际变化。",
              "matrix", "competitive", "shift_share"),
    IndexInfo("hhi", "Herfindahl-Hirschman index (diversity)", "赫芬达尔-赫希曼指数（多样性）",
              r"H_r = \sum_i s_{ri}^2,\quad H^* = \frac{H - 1/n}{1 - 1/n}",
              "Concentration of a region's economy in few industries (high = little diversity); normalised H* over "
              "the whole universe of n industries, including zeros.",
              "地区经济集中于少数行业的程度（越高越不多样）；标准化 H* 以全部 n 个行业（含零值）计。", "region", "hhi"),
    IndexInfo("entropy", "Entropy (diversity)", "熵指数（多样性）", r"E_r = -\sum_i s_{ri} \log_2 s_{ri}",
              "Shannon entropy of the industry shares: higher = more diverse.", "行业结构的香农熵，越高越多样。",
              "region", "entropy"),
    IndexInfo("krugman", "Krugman specialisation index", "克鲁格曼专业化指数", r"K_r = \sum_i |s_{ri} - s_i|",
              "How different a region's industry mix is from the whole's, in [0, 2); the specialisation coefficient "
              "is K/2.", "地区行业结构与全域结构的差异，取值 [0, 2)；专业化系数为 K/2。", "region", "krugman"),
    IndexInfo("diversity", "Diversity (specialisations)", "专业化行业数", r"D_r = \#\{i : LQ_{ri} \ge 1\}",
              "The number of industries in which the region is specialised.", "地区区位熵不低于 1 的行业个数。",
              "region", "diversity"),
    IndexInfo("cluster_strength", "Cluster strength", "集群实力",
              r"CS_r = \frac{\sum_{c\ \mathrm{strong}} e_{rc}}{e_r}",
              "U.S. Cluster Mapping: a cluster is strong in a region when its LQ is at or above the 75th percentile of "
              "regions and at least 1, and its size above the 25th percentile; cluster strength is the share of the "
              "region's employment in its strong clusters.",
              "美国集群地图方法：集群区位熵不低于各地区第 75 百分位且不低于 1、规模高于第 25 百分位即为强势集群；"
              "集群实力为强势集群就业占地区就业的比重。", "region", "cluster_strength"),
    IndexInfo("locational_gini", "Locational Gini", "区位基尼系数",
              r"G_i = \text{Lorenz area of } \sigma_{ri} \text{ against } x_r \text{ (regions ordered by LQ)}",
              "How unevenly an industry is spread across regions compared with the regions' sizes (Krugman's form, "
              "maximum 0.5).", "行业在各地区的分布相对于地区规模的不均衡程度（克鲁格曼形式，最大 0.5）。",
              "industry", "locational_gini"),
    IndexInfo("theil", "Theil index and its decomposition", "泰尔指数及其分解",
              r"T = \sum_k s_k \ln(N s_k) = T_{between} + T_{within}",
              "Inequality of a measure across regions (Theil T, GE(1)); split into the inequality between the "
              "development zones and within them. Gini and the coefficient of variation are shown beside it.",
              "各地区间的不平衡程度（泰尔 T 指数，GE(1)），分解为区域板块之间与板块内部两部分；"
                  "同时列出基尼系数和变异系数。",
              "balance", "theil"),
    IndexInfo("firm_hhi", "Firm concentration (HHI, CR4)", "企业集中度（HHI、CR4）",
              r"H = \sum_k z_k^2,\quad CR_4 = \sum_{k \le 4} z_{(k)}",
              "Concentration of a cluster's output or employment in its largest firms (z_k: firm shares).",
              "集群产值或就业集中于最大企业的程度（z_k 为企业份额）。", "cluster", "hhi"),
    IndexInfo("composite", "Composite performance score", "综合绩效评分",
              r"S_c = \sum_p w_p \sum_{j \in p} w_j\, N(x_{cj})",
              "Indicators are treated for outliers, normalised (min-max to 0-100 by default, direction applied), "
              "weighted within their pillar and the pillars weighted into the index; weights are renormalised over "
              "the indicators a cluster reports. A Monte Carlo over weights and methodological choices gives the "
              "median rank and the 90% rank interval.",
              "指标经异常值处理后标准化（默认按年份最小-最大归一到 0-100，先应用方向），在维度内加权、"
                  "再将各维度加权为综合指数；"
              "集群缺报的指标其权重在已报指标间重新分配。对权重和方法选择做蒙特卡洛模拟，得到排名中位数和 90% "
                  "排名区间。",
              "cluster", "score"),
)

BY_KEY = {i.key: i for i in INDICES}
MATRIX = [i for i in INDICES if i.scope == "matrix"]
REGION = [i for i in INDICES if i.scope == "region"]
