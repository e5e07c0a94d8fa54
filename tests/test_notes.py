"""The warehouse's data-quality notes are written in English by the index functions; the Chinese interface shows them
in Chinese (ui.notes). Every note part the demo's build writes has a translation."""

from __future__ import annotations

import duckdb
import pytest
from test_ui_demo import demo_data_dir

from pipeline.core.settings import Settings
from ui.notes import note_zh, untranslated


@pytest.mark.parametrize(("english", "chinese"), [
    ("industry total is 0", "行业合计为0"),
    ("cr4: at most 4 units with a positive value: CR4 is 1 by construction",
     "CR4：取正值的单位不超过4个：CR4按定义为1"),
    ("lq_gini: 2 industries with total 0 left out", "区位熵基尼系数：2个合计为0的行业未计入"),
    ("reports 12 of 19 indicators, below the 75% needed for a score", "报送19项指标中的12项，低于评分所需的75%"),
    ("start value 0: g_ri and the Esteban-Marquillas split are undefined; not reported",
     "起始值为0：g_ri 与 Esteban-Marquillas 分解无定义；未报送"),
    ("something new the table does not know", "something new the table does not know"),  # shown as written
])
def test_notes_in_chinese(english, chinese):
    assert note_zh(english) == chinese


def test_every_note_of_the_demo_build_is_translated(tmp_path_factory):
    settings = Settings.from_env(demo_data_dir(tmp_path_factory))
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        columns = con.sql("select table_name, column_name from information_schema.columns "
                          "where column_name like '%note%' and data_type = 'VARCHAR'").fetchall()
        notes = {n for table, col in columns
                 for (n,) in con.sql(f'select distinct "{col}" from "{table}" where "{col}" is not null').fetchall()}
    finally:
        con.close()
    assert len(notes) >= 5  # the demo has zero totals, new industries, a region in two zones ...
    missing = {part for n in notes for part in untranslated(n)}
    assert missing == set(), missing
