"""The warehouse's data-quality notes in Chinese. The index functions write their notes in English (the warehouse
keeps one language; the notes are part of the tested output of every index); the app shows them in the reader's
language through this table of patterns.

A note is one or more parts joined by "; "; a part may start with the index it is about ("lq_gini: ..."). Each
part is matched against the patterns below (whole part, numbers and codes captured); a part no pattern knows is
shown as written.

    >>> note_zh("lq_gini: 2 industries with total 0 left out; industry total is 0")
    '区位熵基尼系数：2个合计为0的行业未计入；行业合计为0'
    >>> note_zh("210800 counted in Z-CENTRAL (also in Z-COASTAL)", {"210800": "营口市", "Z-CENTRAL": "中部城市群"})
    '营口市计入中部城市群（同时属于Z-COASTAL）'
"""

from __future__ import annotations

import re

#: index prefixes of a note part ("krugman: ...")
INDEX_NAMES = {
    "herfindahl": "赫芬达尔指数", "hhi": "HHI", "krugman": "克鲁格曼指数", "locational_gini": "区位基尼系数",
    "lq_gini": "区位熵基尼系数", "ubiquity": "普遍度", "diversity": "多样性", "entropy": "熵指数",
    "hachman": "哈奇曼指数", "duranton_puga": "Duranton-Puga 指数", "ellison_glaeser": "Ellison-Glaeser 指数",
    "maurel_sedillot": "Maurel-Sédillot 指数", "theil": "泰尔指数", "gini": "基尼系数", "specialisation": "专业化系数",
}
WORDS = {"region": "地区", "regions": "地区", "industry": "行业", "industries": "行业", "cluster": "集群",
         "clusters": "集群", "unit": "单位", "units": "单位", "firm": "企业", "firms": "企业"}

#: (English part, Chinese part): ``{0}``, ``{1}`` ... are the captured groups (a word in WORDS is translated)
PATTERNS: list[tuple[str, str]] = [
    (r"(\S+) counted in (\S+) \(also in (.+)\)", "{0}计入{1}（同时属于{2}）"),
    (r"cr(\d+)", "CR{0}"),
    (r"at most (\d+) units with a positive value: CR(\d+) is 1 by construction",
     "取正值的单位不超过{0}个：CR{1}按定义为1"),
    (r"group total is 0: the shares are undefined", "组合计为0：份额无定义"),
    (r"group total is 0", "组合计为0"),
    (r"(region|industry) total is 0: the index is undefined", "{0}合计为0：指数无定义"),
    (r"(region|industry) total is 0", "{0}合计为0"),
    (r"(region|industry) total not given", "未给出{0}合计"),
    (r"the universe has a single unit \(n = 1\): hhi_normalised is undefined",
     "总体只有一个单位（n = 1）：标准化HHI无定义"),
    (r"a single (region|industry): the index is 0 by construction", "只有一个{0}：指数按定义为0"),
    (r"single region: LQ is 1 by construction", "只有一个地区：区位熵按定义为1"),
    (r"(\d+) (regions?|industries|industry) with total 0 left out", "{0}个合计为0的{1}未计入"),
    (r"(\d+) (regions?|industries|industry) with an undefined LQ \(not counted\)", "{0}个区位熵无定义的{1}（不计入）"),
    (r"(\d+) (regions?|industries|industry) not reported \(ignored\)", "{0}个{1}未报送（忽略）"),
    (r"(\d+) (regions?|industries|industry) with a value not reported \(ignored\)", "{0}个{1}数值未报送（忽略）"),
    (r"(\d+) (regions?|industries|industry) left out \(no value in the start or end year\)",
     "{0}个{1}未计入（起始年或终止年无数值）"),
    (r"(\d+) (clusters?) of undefined strength left out", "{0}个实力无定义的{1}未计入"),
    (r"no change: counted as not rising", "无变化：按未上升计"),
    (r"no employment: not ranked, not strong", "无从业人员：不排名，不计为优势"),
    (r"the start value is 0: the growth rate is undefined", "起始值为0：增长率无定义"),
    (r"start value 0: g_ri and the Esteban-Marquillas split are undefined",
     "起始值为0：g_ri 与 Esteban-Marquillas 分解无定义"),
    (r"E_i1 = 0 \(the industry is new to the reference economy\): its change counts as competitive",
     "E_i1 = 0（该行业在参照经济中为新增）：其变化计入竞争效应"),
    (r"industry not in the reference", "行业不在参照经济中"),
    (r"the region's employment is 0", "该地区从业人员为0"),
    (r"the other (region|industry)s' total is 0", "其他{0}合计为0"),
    (r"no other (region|industry) to compare with", "没有可比较的其他{0}"),
    (r"no value reported", "未报送数值"),
    (r"value not reported", "数值未报送"),
    (r"not reported \(ignored\)", "未报送（忽略）"),
    (r"not reported", "未报送"),
    (r"withheld", "不予公布（保密）"),
    (r"reports (\d+) of (\d+) indicators, below the (\d+)% needed for a score",
     "报送{1}项指标中的{0}项，低于评分所需的{2}%"),
    (r"has too few of the (\d+) parts of the index \((.+)\) for a score: (\d+)% of their weight is needed",
     "综合指数的{0}个组成部分（{1}）有值过少，无法评分：需覆盖其权重的{2}%"),
]
_COMPILED = [(re.compile(pattern + r"\Z"), zh) for pattern, zh in PATTERNS]


def _part(text: str, names: dict[str, str]) -> str:
    for pattern, zh in _COMPILED:
        found = pattern.match(text)
        if found:
            groups = [names.get(g, WORDS.get(g, g)) for g in found.groups()]
            return zh.format(*groups)
    prefix, sep, rest = text.partition(": ")
    if sep and prefix in INDEX_NAMES or (sep and re.fullmatch(r"cr\d+", prefix)):
        return f"{_part(prefix, names) if prefix not in INDEX_NAMES else INDEX_NAMES[prefix]}：{_part(rest, names)}"
    return text


def note_zh(note: str | None, names: dict[str, str] | None = None) -> str | None:
    """A data-quality note in Chinese; codes in ``names`` (region or cluster code -> name) are named."""
    if note is None:
        return None
    return "；".join(_part(part.strip(), names or {}) for part in note.split("; "))


def untranslated(note: str) -> list[str]:
    """The parts of ``note`` no pattern knows (a test keeps this empty for every note the demo's build writes)."""
    return [part for part in note.split("; ") if _part(part.strip(), {}) == part.strip()]


__all__ = ["PATTERNS", "note_zh", "untranslated"]
