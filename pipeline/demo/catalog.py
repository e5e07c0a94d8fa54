"""Static lists behind the synthetic Liaoning demo: regions, industries, cluster categories, the cluster plan.

Only facts that are public and stable are real here (GB/T 2260 city codes, GB/T 4754-2017 titles, the
province's development zones and the cities' well-known industrial specialisations). Every number the demo
writes is made up by :mod:`pipeline.demo.economy`; the parameters below only steer it towards plausible magnitudes.
"""

from __future__ import annotations

from dataclasses import dataclass

PROVINCE = ("210000", "辽宁省", "Liaoning")

#: Development zones (regions of level ``zone``): code, Chinese name, English name.
ZONES = [
    ("Z-CENTRAL", "中部城市群", "Central urban agglomeration"),
    ("Z-COASTAL", "沿海经济带", "Coastal economic belt"),
    ("Z-WEST", "辽西北", "Western Liaoning"),
]


@dataclass(frozen=True)
class City:
    """A prefecture city and the parameters that size its synthetic economy."""

    code: str
    name: str
    name_en: str
    groups: str  # ';'-separated zone codes
    scale: float  # share of provincial industrial output, in percent (normalised by the generator)
    export_factor: float  # multiplies the division export shares (ports export more)
    wage_factor: float  # multiplies the provincial average wage
    lon: float  # the city's seat (city centre), degrees east, WGS 84, to 0.01 degree
    lat: float  # degrees north


#: the seats are the city centres' coordinates as the cities' gazetteer entries give them (GeoNames / Wikipedia,
#: rounded to 0.01 degree); tests/test_maps.py checks each lies inside its own city in the shared boundary file
CITIES = [
    City("210100", "沈阳市", "Shenyang", "Z-CENTRAL", 22.0, 0.6, 1.12, 123.43, 41.80),
    City("210200", "大连市", "Dalian", "Z-COASTAL", 26.0, 2.2, 1.18, 121.61, 38.91),
    City("210300", "鞍山市", "Anshan", "Z-CENTRAL", 9.0, 0.8, 1.0, 122.99, 41.11),
    City("210400", "抚顺市", "Fushun", "Z-CENTRAL", 5.0, 0.5, 0.95, 123.96, 41.88),
    City("210500", "本溪市", "Benxi", "Z-CENTRAL", 4.0, 0.5, 0.95, 123.77, 41.29),
    City("210600", "丹东市", "Dandong", "Z-COASTAL", 3.0, 1.6, 0.9, 124.38, 40.13),
    City("210700", "锦州市", "Jinzhou", "Z-WEST", 4.0, 1.0, 0.92, 121.13, 41.10),
    City("210800", "营口市", "Yingkou", "Z-CENTRAL;Z-COASTAL", 7.0, 1.4, 0.97, 122.24, 40.67),
    City("210900", "阜新市", "Fuxin", "Z-WEST", 1.5, 0.3, 0.85, 121.67, 42.02),
    City("211000", "辽阳市", "Liaoyang", "Z-CENTRAL", 3.5, 0.5, 0.93, 123.24, 41.27),
    City("211100", "盘锦市", "Panjin", "Z-WEST", 7.0, 0.7, 1.05, 122.07, 41.12),
    City("211200", "铁岭市", "Tieling", "Z-CENTRAL", 2.0, 0.4, 0.85, 123.84, 42.29),
    City("211300", "朝阳市", "Chaoyang", "Z-WEST", 2.0, 0.4, 0.85, 120.45, 41.57),
    City("211400", "葫芦岛市", "Huludao", "Z-WEST", 3.0, 0.9, 0.9, 120.84, 40.71),
]

CLASSIFICATION = "GB/T 4754-2017"

#: GB/T 4754-2017 sections used by the demo: code, Chinese title, English title.
SECTIONS = [
    ("B", "采矿业", "Mining"),
    ("C", "制造业", "Manufacturing"),
    (
        "I",
        "信息传输、软件和信息技术服务业",
        "Information transmission, software and information technology services",
    ),
    ("N", "水利、环境和公共设施管理业", "Management of water conservancy, environment and public facilities"),
]


@dataclass(frozen=True)
class Division:
    """A GB/T 4754-2017 division and the parameters of its synthetic non-cluster economy."""

    code: str
    section: str
    name: str
    name_en: str
    weight: float  # share of provincial output outside the clusters, percent (normalised)
    productivity: float  # output per person in the first year, million yuan
    va_ratio: float  # value added / output
    export_share: float  # exports / output before the city factor
    cities: tuple[str, ...] = ()  # when set, the only cities with activity outside clusters


_COAL = ("210100", "210400", "210900", "211200", "211300")
_SHIPS = ("210100", "210200", "210600", "210700", "210800", "211100", "211400")

DIVISIONS = [
    Division("06", "B", "煤炭开采和洗选业", "Mining and washing of coal", 1.5, 0.8, 0.40, 0.00, _COAL),
    Division(
        "07",
        "B",
        "石油和天然气开采业",
        "Extraction of petroleum and natural gas",
        2.0,
        3.0,
        0.55,
        0.00,
        ("211100",),
    ),
    Division(
        "08", "B", "黑色金属矿采选业", "Mining and processing of ferrous metal ores", 2.0, 1.2, 0.35, 0.00
    ),
    Division(
        "09", "B", "有色金属矿采选业", "Mining and processing of non-ferrous metal ores", 0.5, 1.0, 0.35, 0.02
    ),
    Division("10", "B", "非金属矿采选业", "Mining and processing of non-metal ores", 0.8, 0.9, 0.35, 0.05),
    Division(
        "13", "C", "农副食品加工业", "Processing of food from agricultural products", 8.0, 2.0, 0.22, 0.08
    ),
    Division("14", "C", "食品制造业", "Manufacture of foods", 1.5, 1.2, 0.28, 0.06),
    Division(
        "15",
        "C",
        "酒、饮料和精制茶制造业",
        "Manufacture of liquor, beverages and refined tea",
        1.2,
        1.2,
        0.32,
        0.02,
    ),
    Division("16", "C", "烟草制品业", "Manufacture of tobacco", 0.4, 4.0, 0.60, 0.00, ("210100", "210800")),
    Division("17", "C", "纺织业", "Manufacture of textiles", 0.8, 0.6, 0.22, 0.25),
    Division(
        "18",
        "C",
        "纺织服装、服饰业",
        "Manufacture of textile wearing apparel and clothing",
        1.0,
        0.35,
        0.25,
        0.35,
    ),
    Division(
        "19",
        "C",
        "皮革、毛皮、羽毛及其制品和制鞋业",
        "Manufacture of leather, fur, feather and related products and footwear",
        0.4,
        0.45,
        0.24,
        0.30,
    ),
    Division(
        "20",
        "C",
        "木材加工和木、竹、藤、棕、草制品业",
        "Processing of timber and manufacture of wood, bamboo, rattan, palm and straw products",
        0.6,
        0.8,
        0.24,
        0.10,
    ),
    Division("21", "C", "家具制造业", "Manufacture of furniture", 0.5, 0.6, 0.25, 0.25),
    Division("22", "C", "造纸和纸制品业", "Manufacture of paper and paper products", 0.6, 1.2, 0.24, 0.05),
    Division(
        "23",
        "C",
        "印刷和记录媒介复制业",
        "Printing and reproduction of recording media",
        0.3,
        0.7,
        0.30,
        0.03,
    ),
    Division(
        "24",
        "C",
        "文教、工美、体育和娱乐用品制造业",
        "Manufacture of articles for culture, education, arts and crafts, sport and entertainment",
        0.3,
        0.5,
        0.25,
        0.30,
    ),
    Division(
        "25",
        "C",
        "石油、煤炭及其他燃料加工业",
        "Processing of petroleum, coal and other fuels",
        14.0,
        6.0,
        0.18,
        0.05,
    ),
    Division(
        "26",
        "C",
        "化学原料和化学制品制造业",
        "Manufacture of raw chemical materials and chemical products",
        6.0,
        2.0,
        0.24,
        0.10,
    ),
    Division("27", "C", "医药制造业", "Manufacture of medicines", 1.5, 1.2, 0.35, 0.08),
    Division("28", "C", "化学纤维制造业", "Manufacture of chemical fibres", 0.4, 2.0, 0.20, 0.08),
    Division(
        "29", "C", "橡胶和塑料制品业", "Manufacture of rubber and plastics products", 2.0, 1.0, 0.24, 0.12
    ),
    Division(
        "30", "C", "非金属矿物制品业", "Manufacture of non-metallic mineral products", 4.0, 1.0, 0.27, 0.06
    ),
    Division(
        "31",
        "C",
        "黑色金属冶炼和压延加工业",
        "Smelting and pressing of ferrous metals",
        13.0,
        3.0,
        0.20,
        0.08,
    ),
    Division(
        "32",
        "C",
        "有色金属冶炼和压延加工业",
        "Smelting and pressing of non-ferrous metals",
        3.0,
        2.5,
        0.18,
        0.08,
    ),
    Division("33", "C", "金属制品业", "Manufacture of metal products", 3.0, 0.9, 0.25, 0.10),
    Division("34", "C", "通用设备制造业", "Manufacture of general-purpose machinery", 6.0, 1.0, 0.27, 0.12),
    Division("35", "C", "专用设备制造业", "Manufacture of special-purpose machinery", 3.5, 1.0, 0.28, 0.10),
    Division("36", "C", "汽车制造业", "Manufacture of automobiles", 10.0, 2.2, 0.22, 0.05),
    Division(
        "37",
        "C",
        "铁路、船舶、航空航天和其他运输设备制造业",
        "Manufacture of railway, ship, aerospace and other transport equipment",
        3.5,
        1.2,
        0.26,
        0.30,
        _SHIPS,
    ),
    Division(
        "38",
        "C",
        "电气机械和器材制造业",
        "Manufacture of electrical machinery and equipment",
        3.5,
        1.3,
        0.24,
        0.15,
    ),
    Division(
        "39",
        "C",
        "计算机、通信和其他电子设备制造业",
        "Manufacture of computers, communication and other electronic equipment",
        3.0,
        1.2,
        0.20,
        0.40,
    ),
    Division("40", "C", "仪器仪表制造业", "Manufacture of measuring instruments", 0.6, 0.8, 0.32, 0.12),
    Division("41", "C", "其他制造业", "Other manufacturing", 0.2, 0.6, 0.25, 0.10),
    Division(
        "42", "C", "废弃资源综合利用业", "Comprehensive utilisation of waste resources", 0.4, 1.5, 0.20, 0.01
    ),
    Division(
        "43",
        "C",
        "金属制品、机械和设备修理业",
        "Repair of metal products, machinery and equipment",
        0.3,
        0.6,
        0.35,
        0.05,
    ),
    Division(
        "65",
        "I",
        "软件和信息技术服务业",
        "Software and information technology services",
        2.5,
        0.5,
        0.45,
        0.15,
    ),
    Division(
        "77",
        "N",
        "生态保护和环境治理业",
        "Ecological protection and environmental management",
        0.3,
        0.6,
        0.40,
        0.00,
    ),
]


@dataclass(frozen=True)
class Sector:
    """A cluster category and the ranges its synthetic indicators are drawn from."""

    abbr: str  # used in cluster codes, LN-<abbr>-001
    name: str  # English, as written in the clusters file
    tier: str  # mainstay or emerging
    size_bonus: float  # shifts the rank score that picks the cluster's output quantile
    productivity: tuple[float, float]  # output per person, million yuan
    rd_share: tuple[float, float]  # R&D spending / output
    new_product_share: tuple[float, float]
    export_share: tuple[float, float]
    margin: float  # mean profit margin
    energy_intensity: tuple[float, float]  # tce per 10k yuan (万元) of output


SECTORS = {
    c.abbr: c
    for c in [
        Sector(
            "EQ",
            "equipment manufacturing",
            "mainstay",
            0.3,
            (1.0, 2.0),
            (0.015, 0.03),
            (0.2, 0.4),
            (0.05, 0.3),
            0.05,
            (0.02, 0.05),
        ),
        Sector(
            "CH",
            "chemical engineering",
            "mainstay",
            0.5,
            (2.0, 3.0),
            (0.005, 0.015),
            (0.1, 0.2),
            (0.02, 0.15),
            0.06,
            (0.2, 0.45),
        ),
        Sector(
            "AG",
            "agricultural products processing",
            "mainstay",
            -0.3,
            (0.8, 1.5),
            (0.005, 0.01),
            (0.1, 0.2),
            (0.05, 0.35),
            0.05,
            (0.03, 0.08),
        ),
        Sector(
            "RM",
            "raw materials deep processing",
            "mainstay",
            0.5,
            (1.5, 3.0),
            (0.005, 0.015),
            (0.1, 0.25),
            (0.03, 0.2),
            0.04,
            (0.3, 0.6),
        ),
        Sector(
            "NE",
            "new energy",
            "emerging",
            0.0,
            (1.0, 2.0),
            (0.025, 0.04),
            (0.3, 0.45),
            (0.1, 0.4),
            0.07,
            (0.03, 0.08),
        ),
        Sector(
            "NM",
            "new materials",
            "emerging",
            0.0,
            (1.0, 2.2),
            (0.02, 0.035),
            (0.25, 0.45),
            (0.05, 0.3),
            0.08,
            (0.1, 0.25),
        ),
        Sector(
            "MD",
            "new medicines",
            "emerging",
            -0.1,
            (0.8, 1.6),
            (0.03, 0.04),
            (0.3, 0.45),
            (0.05, 0.25),
            0.10,
            (0.02, 0.05),
        ),
        Sector(
            "EI",
            "electronic information and software",
            "emerging",
            0.0,
            (0.8, 1.5),
            (0.03, 0.04),
            (0.3, 0.45),
            (0.1, 0.4),
            0.09,
            (0.005, 0.02),
        ),
        Sector(
            "EP",
            "environmental protection",
            "emerging",
            -0.2,
            (0.8, 1.5),
            (0.02, 0.035),
            (0.25, 0.4),
            (0.02, 0.1),
            0.06,
            (0.03, 0.06),
        ),
    ]
}

@dataclass(frozen=True)
class ClusterCategory:
    """A cluster category: a set of GB/T 4754 divisions (weights and validity years), measurable in every city.

    The demo's records are by division, so two categories built on the same divisions would have the same figures
    everywhere: every category here has a set of divisions (or weights) of its own. A bureau with class-level
    records defines categories as finely as USCMP does."""

    code: str
    sector: str  # parent: the sector's abbreviation (EQ, CH ...), itself a category without industries
    name: str
    name_en: str
    #: (division, weight, valid_from, valid_to); years absolute, None = open
    industries: tuple[tuple[str, float, int | None, int | None], ...]


def _d(*divisions: str) -> tuple[tuple[str, float, int | None, int | None], ...]:
    """The first division with weight 1, the others 0.5, always valid."""
    return tuple((d, 1.0 if i == 0 else 0.5, None, None) for i, d in enumerate(divisions))


#: The parents of the categories: the province's sectors (zh, en), coded by their abbreviations.
SECTOR_NAMES = {
    "AG": ("农产品加工", "Agricultural products processing"), "CH": ("石化化工", "Petrochemicals and chemicals"),
    "EI": ("电子信息和软件", "Electronic information and software"), "EP": ("节能环保", "Environmental protection"),
    "EQ": ("装备制造", "Equipment manufacturing"), "MD": ("生物医药", "Biomedicine"), "NE": ("新能源", "New energy"),
    "NM": ("新材料", "New materials"), "RM": ("原材料精深加工", "Raw materials deep processing"),
}

#: 40 cluster categories in code order, each a distinct set of divisions. Four definitions changed over time.
CLUSTER_CATEGORIES = [
    ClusterCategory("AG01", "AG", "农副食品加工", "Agri-food processing", _d("13")),
    ClusterCategory("AG02", "AG", "农产品精深加工", "Agricultural products deep processing", _d("13", "14")),
    ClusterCategory("AG03", "AG", "食品制造", "Food manufacturing", _d("14", "15")),
    ClusterCategory("AG04", "AG", "酒水饮料", "Beverages", _d("15")),
    ClusterCategory("AG05", "AG", "纺织丝绸和皮革", "Textiles, silk and leather", _d("17", "19")),
    ClusterCategory("CH01", "CH", "石油炼化", "Petroleum refining", _d("25")),
    ClusterCategory("CH02", "CH", "炼化一体化", "Integrated refining and chemicals", _d("25", "26")),
    ClusterCategory("CH03", "CH", "精细化工", "Fine chemicals", _d("26")),
    ClusterCategory("CH04", "CH", "化学纤维", "Chemical fibres", _d("28", "26")),
    ClusterCategory("CH05", "CH", "橡胶制品", "Rubber products", _d("29")),
    ClusterCategory("EI01", "EI", "电子元器件和集成电路", "Electronic components and integrated circuits", _d("39")),
    ClusterCategory("EI02", "EI", "激光及光电", "Laser and optoelectronics", _d("39", "40")),
    # Software took in electronic hardware makers from 2016.
    ClusterCategory("EI03", "EI", "软件和信息技术服务", "Software and IT services",
                    (("65", 1.0, None, None), ("39", 0.5, 2016, None))),
    ClusterCategory("EI04", "EI", "集成电路装备", "Integrated circuit equipment", _d("35", "39")),
    # Recycling included environmental remediation up to 2018.
    ClusterCategory("EP01", "EP", "再生资源", "Recycling", (("42", 1.0, None, None), ("77", 0.5, None, 2018))),
    ClusterCategory("EP02", "EP", "节能环保装备", "Environmental equipment", _d("35", "77")),
    ClusterCategory("EP03", "EP", "节能环保服务", "Environmental services", _d("77", "42")),
    ClusterCategory("EQ01", "EQ", "通用设备", "General-purpose machinery", _d("34")),
    ClusterCategory("EQ02", "EQ", "专用设备", "Special-purpose machinery", _d("35")),
    ClusterCategory("EQ03", "EQ", "机器人及智能装备", "Robotics and intelligent equipment", _d("34", "35")),
    ClusterCategory("EQ04", "EQ", "汽车及零部件", "Automobiles and parts", _d("36")),
    ClusterCategory("EQ05", "EQ", "交通运输装备", "Transport equipment (rail, ships, aerospace)", _d("37")),
    ClusterCategory("EQ06", "EQ", "电力装备", "Power equipment", _d("38")),
    ClusterCategory("EQ07", "EQ", "仪器仪表", "Instruments", _d("40")),
    ClusterCategory("MD01", "MD", "生物医药", "Biomedicine", _d("27")),
    # Batteries and motors were added to new-energy vehicles in 2018.
    ClusterCategory("NE01", "NE", "新能源汽车", "New energy vehicles",
                    (("36", 1.0, None, None), ("38", 0.5, 2018, None), ("39", 0.2, None, None))),
    ClusterCategory("NE02", "NE", "储能与电池", "Batteries and energy storage", _d("38", "39")),
    ClusterCategory("NE03", "NE", "氢能", "Hydrogen energy", _d("38", "26")),
    ClusterCategory("NE04", "NE", "风电与新能源装备", "Wind and renewable energy equipment", _d("38", "34")),
    # Photovoltaics was redefined in 2017: cells and modules moved from division 39 (wholly) to 38.
    ClusterCategory("NE05", "NE", "光伏", "Photovoltaics",
                    (("39", 1.0, None, 2016), ("38", 1.0, 2017, None), ("39", 0.5, 2017, None),
                     ("30", 0.2, None, None))),
    ClusterCategory("NM01", "NM", "高分子新材料", "Polymer materials", _d("29", "26")),
    ClusterCategory("NM02", "NM", "硅材料", "Silicon materials", _d("39", "30")),
    ClusterCategory("NM03", "NM", "镁基和有色金属新材料", "Magnesium and non-ferrous new materials", _d("32", "30")),
    ClusterCategory("RM01", "RM", "钢铁", "Iron and steel", _d("31")),
    ClusterCategory("RM02", "RM", "有色金属加工", "Non-ferrous metals", _d("32", "09")),
    ClusterCategory("RM03", "RM", "金属制品", "Metal products", _d("33")),
    ClusterCategory("RM04", "RM", "矿产开采", "Mining and extraction", _d("08", "07")),
    ClusterCategory("RM05", "RM", "镁质材料", "Magnesia materials", _d("30", "10")),
    ClusterCategory("RM06", "RM", "建材", "Building materials", _d("30")),
    ClusterCategory("RM07", "RM", "造纸", "Paper", _d("22")),
]

#: Named clusters that span more than their lead city: (lead city, sub-industry en) -> member cities.
MEMBER_CITIES: dict[tuple[str, str], tuple[str, ...]] = {
    ("210100", "automobiles and parts"): ("211200",),  # Shenyang's car makers' suppliers in Tieling
    ("210300", "steel deep processing"): ("211000",),  # the Anshan-Liaoyang steel belt
    ("211100", "petroleum refining"): ("210800",),  # Panjin-Yingkou refining
}


#: The cluster plan per lead city: (sector, sub-industry zh, sub-industry en, cluster category code). Clusters per
#: city: Shenyang 20, Dalian 20, Anshan/Dandong/Jinzhou 10, the other nine cities 5-7; most categories hold clusters
#: of several cities (葫芦岛船舶 and 大连船舶与海洋工程装备 are both transport equipment, EQ05).
CLUSTER_PLAN: dict[str, list[tuple[str, str, str, str]]] = {
    "210100": [
        ("EQ", "航空装备", "aviation equipment", "EQ05"),
        ("EQ", "汽车及零部件", "automobiles and parts", "EQ04"),
        ("EQ", "数控机床", "CNC machine tools", "EQ01"),
        ("EQ", "输变电装备", "power transmission equipment", "EQ06"),
        ("EQ", "机器人及智能装备", "robotics and intelligent equipment", "EQ03"),
        ("EQ", "燃气轮机", "gas turbine", "EQ01"),
        ("EQ", "重型矿山机械", "heavy mining machinery", "EQ02"),
        ("EQ", "轨道交通装备", "rail transit equipment", "EQ05"),
        ("EQ", "泵阀及通用机械", "pumps, valves and general machinery", "EQ01"),
        ("AG", "农产品精深加工", "agricultural products deep processing", "AG02"),
        ("AG", "酒水饮料", "beverages", "AG04"),
        ("CH", "精细化工", "fine chemicals", "CH03"),
        ("RM", "金属制品", "metal products", "RM03"),
        ("EI", "集成电路装备", "integrated circuit equipment", "EI04"),
        ("EI", "软件和信息服务", "software and information services", "EI03"),
        ("MD", "生物医药", "biomedicine", "MD01"),
        ("MD", "医疗器械", "medical devices", "EQ02"),
        ("NE", "新能源汽车", "new energy vehicles", "NE01"),
        ("NM", "先进高分子材料", "advanced polymer materials", "NM01"),
        ("EP", "节能环保装备", "energy-saving and environmental equipment", "EP02"),
    ],
    "210200": [
        ("EQ", "船舶与海洋工程装备", "shipbuilding and offshore engineering", "EQ05"),
        ("EQ", "轴承", "bearings", "EQ01"),
        ("EQ", "数控机床", "CNC machine tools", "EQ01"),
        ("EQ", "轨道交通装备", "rail transit equipment", "EQ05"),
        ("EQ", "汽车零部件", "auto parts", "EQ04"),
        ("EQ", "冷链装备", "cold-chain equipment", "EQ01"),
        ("EQ", "电力装备", "power equipment", "EQ06"),
        ("CH", "石油化工", "petrochemicals", "CH02"),
        ("CH", "精细化工", "fine chemicals", "CH03"),
        ("CH", "化学纤维", "chemical fibres", "CH04"),
        ("AG", "海洋食品", "seafood processing", "AG01"),
        ("AG", "食品饮料", "food and beverages", "AG03"),
        ("RM", "金属制品", "metal products", "RM03"),
        ("EI", "软件和信息技术服务", "software and IT services", "EI03"),
        ("EI", "集成电路", "integrated circuits", "EI01"),
        ("NE", "氢能", "hydrogen energy", "NE03"),
        ("NE", "储能电池", "energy storage batteries", "NE02"),
        ("MD", "生物医药", "biomedicine", "MD01"),
        ("NM", "化工新材料", "new chemical materials", "CH03"),
        ("EP", "海水淡化与环保装备", "desalination and environmental equipment", "EP02"),
    ],
    "210300": [
        ("RM", "钢铁精深加工", "steel deep processing", "RM01"),
        ("RM", "钢结构", "steel structures", "RM03"),
        ("RM", "镁质耐火材料", "magnesia refractories", "RM05"),
        ("RM", "铁矿采选", "iron ore mining", "RM04"),
        ("CH", "煤焦油化工", "coal-tar chemicals", "CH02"),
        ("EQ", "冶金装备", "metallurgical equipment", "EQ02"),
        ("EQ", "输变电装备", "power transmission equipment", "EQ06"),
        ("AG", "果品加工", "fruit processing", "AG01"),
        ("EI", "激光及光电", "laser and optoelectronics", "EI02"),
        ("NM", "菱镁新材料", "magnesite new materials", "NM03"),
    ],
    "210400": [
        ("CH", "石油炼化", "petroleum refining", "CH01"),
        ("CH", "精细化工", "fine chemicals", "CH03"),
        ("CH", "橡胶制品", "rubber products", "CH05"),
        ("EQ", "石化装备", "petrochemical equipment", "EQ02"),
        ("RM", "特殊钢", "special steel", "RM01"),
        ("EP", "节能环保", "energy saving and environmental protection", "EP03"),
    ],
    "210500": [
        ("RM", "钢铁", "iron and steel", "RM01"),
        ("RM", "铁矿采选", "iron ore mining", "RM04"),
        ("AG", "矿泉水及饮品", "mineral water and beverages", "AG04"),
        ("MD", "生物医药", "biomedicine", "MD01"),
        ("MD", "现代中药", "modern Chinese medicine", "MD01"),
    ],
    "210600": [
        ("AG", "水产品加工", "seafood processing", "AG01"),
        ("AG", "果蔬加工", "fruit and vegetable processing", "AG01"),
        ("AG", "食品饮料", "food and beverages", "AG03"),
        ("AG", "柞蚕丝绸", "tussah silk", "AG05"),
        ("EQ", "仪器仪表", "instruments", "EQ07"),
        ("EQ", "汽车零部件", "auto parts", "EQ04"),
        ("EQ", "专用汽车", "special-purpose vehicles", "EQ04"),
        ("RM", "造纸", "paper", "RM07"),
        ("MD", "生物医药", "biomedicine", "MD01"),
        ("EI", "电子元器件", "electronic components", "EI01"),
    ],
    "210700": [
        ("EQ", "汽车零部件", "auto parts", "EQ04"),
        ("EQ", "汽车电器", "automotive electrics", "EQ04"),
        ("CH", "石油化工", "petrochemicals", "CH01"),
        ("AG", "肉食品加工", "meat processing", "AG01"),
        ("RM", "钛及钛合金", "titanium and titanium alloys", "RM02"),
        ("RM", "铁合金", "ferroalloys", "RM01"),
        ("NE", "光伏", "photovoltaics", "NE05"),
        ("NM", "硅材料", "silicon materials", "NM02"),
        ("EI", "电子信息", "electronic information", "EI01"),
        ("NE", "超级电容及储能", "supercapacitors and energy storage", "NE02"),
    ],
    "210800": [
        ("RM", "钢铁", "iron and steel", "RM01"),
        ("RM", "镁质材料", "magnesia materials", "RM05"),
        ("RM", "铝加工", "aluminium processing", "RM02"),
        ("EQ", "汽保装备", "automotive service equipment", "EQ02"),
        ("CH", "石化", "petrochemicals", "CH03"),
        ("NM", "镁基新材料", "magnesium-based new materials", "NM03"),
        ("NE", "锂电池", "lithium batteries", "NE02"),
    ],
    "210900": [
        ("AG", "畜禽加工", "meat and poultry processing", "AG01"),
        ("AG", "粮油加工", "grain and oil processing", "AG01"),
        ("AG", "食品制造", "food manufacturing", "AG03"),
        ("EQ", "液压装备", "hydraulic equipment", "EQ01"),
        ("NE", "风电装备", "wind power equipment", "NE04"),
    ],
    "211000": [
        ("CH", "石油化工", "petrochemicals", "CH03"),
        ("CH", "芳烃及化纤", "aromatics and chemical fibres", "CH04"),
        ("RM", "铝材加工", "aluminium extrusion", "RM02"),
        ("AG", "皮革裘皮", "leather and fur", "AG05"),
        ("NM", "高分子新材料", "polymer new materials", "NM01"),
    ],
    "211100": [
        ("CH", "石油炼化", "petroleum refining", "CH01"),
        ("CH", "精细化工", "fine chemicals", "CH03"),
        ("EQ", "石油装备", "oilfield equipment", "EQ02"),
        ("AG", "稻米加工", "rice processing", "AG01"),
        ("RM", "油气开采", "oil and gas extraction", "RM04"),
        ("NM", "特种橡胶新材料", "specialty rubber materials", "NM01"),
    ],
    "211200": [
        ("EQ", "专用汽车", "special-purpose vehicles", "EQ04"),
        ("EQ", "阀门", "valves", "EQ01"),
        ("AG", "玉米深加工", "corn deep processing", "AG02"),
        ("AG", "畜产品加工", "livestock products processing", "AG01"),
        ("EP", "再生资源", "recycling", "EP01"),
    ],
    "211300": [
        ("AG", "杂粮加工", "coarse grain processing", "AG01"),
        ("AG", "畜禽加工", "meat and poultry processing", "AG01"),
        ("RM", "铁矿采选", "iron ore mining", "RM04"),
        ("RM", "新型建材", "building materials", "RM06"),
        ("NE", "新能源装备", "renewable energy equipment", "NE04"),
    ],
    "211400": [
        ("RM", "锌冶炼", "zinc smelting", "RM02"),
        ("RM", "钼业", "molybdenum", "RM02"),
        ("EQ", "船舶", "shipbuilding", "EQ05"),
        ("AG", "水产品加工", "seafood processing", "AG01"),
        ("CH", "石油化工", "petrochemicals", "CH01"),
        ("NM", "有色金属新材料", "advanced non-ferrous materials", "NM03"),
    ],
}

#: Two-character parts of synthetic firm names (brand = first + second).
FIRM_NAME_FIRST = "华东北宏盛恒金新远鑫嘉瑞泰安兴正永天长福"
FIRM_NAME_SECOND = "达通源丰昌利信辉宇诚博越峰海阳润和德誉晟"
FIRM_NAME_MARK = "（合成数据）"
