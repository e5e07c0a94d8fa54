"""Shared fixtures: a temporary data directory and a tiny hand-checkable data set landed through the real path.

The tiny set (all numbers chosen for hand calculation in the tests):

employment 2022    industry 13   industry 37   region total
Shenyang 210100        100           300           400
Dalian   210200        200           200           400
industry total         300           500           800
"""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl
import pytest

from pipeline.core.settings import Settings

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


def shared_data(*parts: str) -> Path:
    """A file of ../shared/data, or skip the test with the reason when it is not there."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"reference data {path} is not available (the ../shared/data folder beside the repo is absent)")
    return path


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.from_env(tmp_path / "data")


REGIONS_CSV = """代码,名称,英文名称,上级代码,层级,所属区域
210000,辽宁省,Liaoning,,province,
Z-CENTRAL,中部城市群,Central,210000,zone,
Z-COASTAL,沿海经济带,Coastal,210000,zone,
210100,沈阳市,Shenyang,210000,city,Z-CENTRAL
210200,大连市,Dalian,210000,city,Z-COASTAL
"""

INDUSTRIES_CSV = """code,name,name_en,parent_code,level,classification
C,制造业,Manufacturing,,section,GB/T 4754-2017
13,农副食品加工业,Agri-food processing,C,division,GB/T 4754-2017
37,铁路、船舶、航空航天和其他运输设备制造业,"Railway, ship, aerospace equipment",C,division,GB/T 4754-2017
"""

CLUSTERS_CSV = """集群代码,集群名称,英文名称,集群类型,产业类别,所在地区代码,简介
LN-EQ-001,沈阳航空装备产业集群,Shenyang aviation equipment cluster,mainstay,equipment manufacturing,210100,Test
LN-AG-001,大连食品加工产业集群,Dalian food processing cluster,mainstay,agricultural products processing,210200,Test
"""

CLUSTER_INDUSTRIES_CSV = """cluster_code,industry_code,weight
LN-EQ-001,37,1
LN-AG-001,13,
"""

# Employment in persons; output in 万元 (x 10,000 yuan on landing).
REGIONAL_CSV = """地区代码,行业代码,年份,从业人员(人),工业总产值(万元)
210100,13,2022,100,50000
210100,37,2022,300,400000
210200,13,2022,200,150000
210200,37,2022,200,100000
"""

# Money in yuan. 2022: EQ better on output, employment, growth, R&D intensity, productivity, energy intensity;
# equal on patents per 10,000 employees (50 each); AG better on export share. See test_scoring_warehouse.py.
CLUSTER_INDICATORS_CSV = """cluster_code,year,output_value,employment,rd_spending,patents,exports,energy_use
LN-EQ-001,2021,4000000000,9500,100000000,40,400000000,90000
LN-EQ-001,2022,5000000000,10000,150000000,50,500000000,100000
LN-AG-001,2021,2500000000,8200,20000000,35,450000000,210000
LN-AG-001,2022,2000000000,8000,20000000,40,400000000,200000
"""

FIRMS_CSV = """firm_id,year,region_code,industry_code,cluster_code,employment,output_value
F001,2022,210100,37,LN-EQ-001,6000,3000000000
F002,2022,210100,37,LN-EQ-001,3000,1500000000
F003,2022,210100,37,LN-EQ-001,1000,500000000
F101,2022,210200,13,LN-AG-001,4000,1000000000
F102,2022,210200,13,LN-AG-001,4000,1000000000
"""

TINY = [
    ("regions", "regions.csv", REGIONS_CSV),
    ("industries", "industries.csv", INDUSTRIES_CSV),
    ("clusters", "clusters.csv", CLUSTERS_CSV),
    ("cluster-industries", "cluster_industries.csv", CLUSTER_INDUSTRIES_CSV),
    ("regional-industry", "regional.csv", REGIONAL_CSV),
    ("cluster-indicators", "cluster_indicators.csv", CLUSTER_INDICATORS_CSV),
    ("firms", "firms.csv", FIRMS_CSV),
]


@pytest.fixture
def tiny_files(tmp_path: Path) -> list[tuple[str, Path]]:
    """The tiny data set written as upload files (UTF-8 CSV), in landing order."""
    folder = tmp_path / "uploads"
    folder.mkdir()
    out = []
    for kind, name, text in TINY:
        path = folder / name
        path.write_text(text, encoding="utf-8")
        out.append((kind, path))
    return out


def land_all(settings: Settings, files: list[tuple[str, Path]]) -> None:
    from pipeline.ingest import ingest_file

    for kind, path in files:
        ingest_file(settings, path, kind, who="tester")


@pytest.fixture
def dictionaries(settings: Settings, tiny_files: list[tuple[str, Path]]) -> Settings:
    """Only the region and industry dictionaries of the tiny set landed."""
    land_all(settings, tiny_files[:2])
    return settings


@pytest.fixture
def landed(settings: Settings, tiny_files: list[tuple[str, Path]]) -> Settings:
    """The tiny set landed through the real ingest path."""
    land_all(settings, tiny_files)
    return settings


@pytest.fixture
def built(landed: Settings) -> Settings:
    """The tiny set landed and built through the real recompute path."""
    from pipeline.jobs.build import recompute

    recompute(landed, who="tester")
    return landed


@pytest.fixture
def cli_env(settings: Settings) -> dict[str, str]:
    """Environment for running the `clusterstats` CLI in a subprocess on the temporary data directory."""
    return {**os.environ, "CLUSTERSTATS_DATA_DIR": str(settings.data_dir)}


def read_landed(settings: Settings, kind: str) -> pl.DataFrame:
    from pipeline.ingest.landing import landed_frame

    frame = landed_frame(settings, kind)
    assert frame is not None, f"nothing landed for {kind}"
    return frame


#: accounts the access tests log in as: name -> (role, password); ada, the first, is the administrator
ACCOUNTS = {"ada": ("admin", "admin-pass-1"), "ulla": ("uploader", "upload-pass-2"), "vic": ("viewer", "viewer-pass-3")}


def add_accounts(settings: Settings, *names: str) -> Settings:
    """Create the named accounts of :data:`ACCOUNTS` (ada first: the first account must be an administrator)."""
    from pipeline.access.users import LOCAL, User, add_user

    for name in names:
        role, password = ACCOUNTS[name]
        add_user(settings, name, role, password=password, by=LOCAL if name == "ada" else User("ada", "admin"))
    return settings


# -- publishing (issue 16): a bureau with a reviewer and a city's submitter ------------------------------------
BUREAU_PASSWORDS = {"ada": "admin-pass-1", "rita": "review-pass-5", "li": "submit-pass-4", "ming": "admin-pass-7",
                    "vic": "viewer-pass-3", "ulla": "upload-pass-2"}


@pytest.fixture
def bureau(tmp_path: Path) -> Settings:
    """The tiny set landed by provincial staff and built; an administrator, a reviewer, Shenyang's submitter."""
    settings = Settings.from_env(tmp_path / "data")
    files = []
    for kind, name, text in TINY:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        files.append((kind, path))
    land_all(settings, files)
    from pipeline.access.users import LOCAL, add_user
    from pipeline.jobs.build import recompute

    recompute(settings, who="tester")
    passwords = BUREAU_PASSWORDS
    admin = add_user(settings, "ada", "admin", password=passwords["ada"], by=LOCAL)
    add_user(settings, "rita", "reviewer", password=passwords["rita"], by=admin)
    add_user(settings, "li", "submitter", password=passwords["li"], by=admin, regions=["210100"])
    return settings


@pytest.fixture
def staffed(bureau: Settings) -> Settings:
    """The bureau with a second administrator (approves) and a viewer (reads published releases only)."""
    from pipeline.access.users import User, add_user

    add_user(bureau, "ming", "admin", password=BUREAU_PASSWORDS["ming"], by=User("ada", "admin"))
    add_user(bureau, "vic", "viewer", password=BUREAU_PASSWORDS["vic"], by=User("ada", "admin"))
    return bureau


def acknowledge(settings: Settings, number: int, who: str = "ada") -> None:
    """An administrator's acknowledgement of release ``number``'s tables not fully assessed for disclosure (the
    tiny set's named-cluster indicators): what approval waits for (test_release_disclosure.py tests it)."""
    from pipeline.publishing import acknowledge_release

    acknowledge_release(settings, number, who=who, note="tested elsewhere (test_release_disclosure.py)")


def app_as(settings: Settings, monkeypatch: pytest.MonkeyPatch, name: str, *, page: str | None = None,
           passwords: dict[str, str] = BUREAU_PASSWORDS):
    """The app (Streamlit's AppTest, in English) on ``settings``' data directory, logged in as ``name``, on ``page``
    (``views/<page>.py``) when given."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("CLUSTERSTATS_DATA_DIR", str(settings.data_dir))
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "ui" / "app.py"), default_timeout=90)
    at.session_state["lang"] = "en"
    at.run()
    at.text_input(key="login_name").set_value(name)
    at.text_input(key="login_password").set_value(passwords[name])
    at = at.button[0].click().run()
    if page:
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception, at.exception
    return at
