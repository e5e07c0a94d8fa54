"""Releases and submissions in the app (issue 16), through Streamlit's AppTest: a viewer sees nothing before the
embargo ends and the release after, with its number on the page and in the provenance; a release's creator cannot
approve it; a returned submission's comment reaches its submitter; an upload after publication changes the official
build the staff see, not the release the viewer reads."""

from __future__ import annotations

from datetime import UTC, datetime

from conftest import acknowledge, app_as
from test_releases import EMBARGO_ENDS, PUBLISH_AT
from test_submissions import CORRECTION, submit

from pipeline.core.ops import OpsStore
from pipeline.core.publication import publish_due, release, submission
from pipeline.ingest import ingest_file
from pipeline.jobs import recompute
from pipeline.publishing import approve_release, create_release


def app(settings, monkeypatch, name: str):
    return app_as(settings, monkeypatch, name)


def texts(at) -> str:
    return " ".join([*(e.value for e in at.info), *(e.value for e in at.warning), *(e.value for e in at.caption),
                     *(e.value for e in at.markdown), *(e.value for e in at.success), *(e.value for e in at.error)])


def kpis(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_a_viewer_sees_a_release_only_after_its_embargo(staffed, monkeypatch):
    create_release(staffed, title="2022年度产业集群评价", reference_year=2022, publish_at=PUBLISH_AT, who="rita")
    acknowledge(staffed, 1)
    approve_release(staffed, 1, who="ming")
    viewer = app(staffed, monkeypatch, "vic")
    assert "No release has been published yet" in texts(viewer) and not viewer.metric
    staff = app(staffed, monkeypatch, "ada")  # staff open on the official build, marked internal
    assert "Internal, not for publication: the official build" in texts(staff) and staff.metric
    picker = staff.sidebar.selectbox(key="source")
    assert picker.options[0].startswith("Official build") and any("embargoed until 2030-06-30 09:30" in o
                                                                  for o in picker.options)
    embargoed = next(i for i, o in enumerate(picker.options) if "embargoed" in o)
    staff = picker.select_index(embargoed).run()  # (by index: set_value formats outside the session, in Chinese)
    assert "Embargoed until 2030-06-30 09:30" in texts(staff)
    # the embargo ends: the worker's publication (controlled clock)
    assert publish_due(OpsStore(staffed.ops_path), EMBARGO_ENDS) == [1]
    viewer = app(staffed, monkeypatch, "vic")
    assert "Release 1: 2022年度产业集群评价 (reference year 2022), 2030-06-30 09:30." in texts(viewer)
    assert viewer.metric and viewer.session_state["source"] == "release-1"
    # the provenance of every page (and of its exports: ui.components.build_facts) names the release first
    provenance = next(m.value for m in viewer.markdown if "**Build**" in m.value)
    assert provenance.startswith("- **Release**: Release 1 · 2022年度产业集群评价 · published 2030-06-30 09:30\n")
    viewer.switch_page("views/releases.py").run()
    assert not viewer.exception
    past, disclosure = [d.value for d in viewer.dataframe]
    assert (past.iloc[0]["Release"], past.iloc[0]["State"]) == (1, "published")  # (pandas, as AppTest gives it)
    # its disclosure report: the tiny employment table, 10 cells suppressed (test_release_disclosure.py by hand)
    # (the table and the measure by their titles, not their internal names)
    employment = disclosure[(disclosure["Table"] == "Regional industry records") & (disclosure["Measure"] ==
                                                                                     "Employment")]
    assert employment.iloc[0]["Suppressed"] == 10 and employment.iloc[0]["Firms known from"].startswith("firm records")


def test_an_upload_after_publication_changes_the_official_build_not_the_release(staffed, monkeypatch, tmp_path):
    create_release(staffed, title="2022年度产业集群评价", reference_year=2022, publish_at=PUBLISH_AT, who="rita")
    acknowledge(staffed, 1)
    approve_release(staffed, 1, who="ming")
    publish_due(OpsStore(staffed.ops_path), EMBARGO_ENDS)
    before = kpis(app(staffed, monkeypatch, "vic"))
    path = tmp_path / "big.csv"  # Shenyang's agri-food employment 100 -> 5,000: the overview's totals move
    path.write_text("地区代码,行业代码,年份,从业人员(人)\n210100,13,2022,5000\n", encoding="utf-8")
    ingest_file(staffed, path, "regional-industry", who="ada")
    recompute(staffed, who="ada")
    after = kpis(app(staffed, monkeypatch, "vic"))
    assert after == before and before  # the release reads its frozen file
    official = kpis(app(staffed, monkeypatch, "ada"))
    assert official != before  # the staff's official build has the new figure


def test_its_creator_cannot_approve_a_release_in_the_app(staffed, monkeypatch):
    rita = app(staffed, monkeypatch, "rita")
    rita.switch_page("views/releases.py").run()
    rita.text_input(key="release_title").set_value("2022年度产业集群评价")
    rita = rita.button(key="FormSubmitter:release_create-Create a release from the official build").click().run()
    assert not rita.exception
    assert "Release 1 created as a draft" in texts(rita)
    rel = release(OpsStore(staffed.ops_path), 1)
    assert (rel["status"], rel["created_by"], rel["reference_year"]) == ("draft", "rita", datetime.now(UTC).year - 1)
    rita = rita.button(key="approve_1").click().run()
    assert "rita created release 1 and cannot also approve it" in texts(rita)
    assert release(OpsStore(staffed.ops_path), 1)["status"] == "draft"
    ming = app(staffed, monkeypatch, "ming")
    ming.switch_page("views/releases.py").run()
    # the named clusters' indicators are not assessed for disclosure: an administrator acknowledges them first,
    # with a reason (the audit log keeps it), then approves
    ming = ming.button(key="approve_1").click().run()
    assert "could not be fully assessed" in texts(ming) and release(OpsStore(staffed.ops_path), 1)["status"] == "draft"
    ming.text_input(key="ack_note_1").set_value("集群指标为集群合计，已人工复核")
    ming = ming.button(key="ack_1").click().run()
    assert "Release 1: acknowledged" in texts(ming)
    ming = ming.button(key="approve_1").click().run()
    assert "Release 1 approved" in texts(ming)
    assert release(OpsStore(staffed.ops_path), 1)["approved_by"] == "ming"


def test_a_returned_submission_and_its_comment_in_the_app(bureau, monkeypatch, tmp_path):
    upload_id = submit(bureau, tmp_path, "shenyang-2022.csv", CORRECTION)
    rita = app(bureau, monkeypatch, "rita")
    rita.switch_page("views/review.py").run()
    assert "Waiting for review (1)" in [h.value for h in rita.subheader]
    comment = "第2行：从业人员应为年平均人数"
    rita.text_area(key=f"comment_{upload_id}").set_value(comment)
    rita = rita.button(key=f"return_{upload_id}").click().run()
    assert not rita.exception and "shenyang-2022.csv returned to li with your comment." in texts(rita)
    assert (submission(OpsStore(bureau.ops_path), upload_id)["state"]) == "returned"
    li = app(bureau, monkeypatch, "li")
    li.switch_page("views/review.py").run()
    (mine,) = [d.value for d in li.dataframe]
    row = mine.iloc[0]
    assert (row["State"], row["Reviewer"], row["Comment"]) == ("returned", "rita", comment)


def test_a_return_without_a_comment_is_refused_in_the_app(bureau, monkeypatch, tmp_path):
    upload_id = submit(bureau, tmp_path, "shenyang-2022.csv", CORRECTION)
    rita = app(bureau, monkeypatch, "rita")
    rita.switch_page("views/review.py").run()
    rita = rita.button(key=f"return_{upload_id}").click().run()
    assert "Say why the submission is returned" in texts(rita)
    assert submission(OpsStore(bureau.ops_path), upload_id)["state"] == "submitted"
    rita = rita.button(key=f"accept_{upload_id}").click().run()
    assert "shenyang-2022.csv accepted; the official build is queued" in texts(rita)


def test_a_revision_in_the_app_lists_its_figures_and_release_1_says_it_is_superseded(staffed, monkeypatch, tmp_path):
    store = OpsStore(staffed.ops_path)
    create_release(staffed, title="2022年度产业集群评价", reference_year=2022, publish_at=PUBLISH_AT, who="rita")
    acknowledge(staffed, 1)
    approve_release(staffed, 1, who="ming")
    path = tmp_path / "correction.csv"  # Shenyang x 13 x 2022 employment 100 -> 120 (test_releases.py)
    path.write_text(CORRECTION, encoding="utf-8")
    ingest_file(staffed, path, "regional-industry", who="ada")
    publish_due(store, EMBARGO_ENDS)
    recompute(staffed, who="ada")
    rev = create_release(staffed, title="2022年度产业集群评价（修订）", reference_year=2022, publish_at=PUBLISH_AT,
                         who="rita", revises=1, note="沈阳市农副食品加工业从业人员更正")
    acknowledge(staffed, 2)
    approve_release(staffed, 2, who="ming")
    publish_due(store, EMBARGO_ENDS)
    viewer = app(staffed, monkeypatch, "vic")
    assert viewer.session_state["source"] == "release-2"  # the newest
    assert "Revises release 1: 沈阳市农副食品加工业从业人员更正" in texts(viewer)
    viewer.switch_page("views/releases.py").run()
    figures = rev["changes"]["figures"]
    (label,) = [e.label for e in viewer.expander if e.label.startswith("Release 2 revises 1")]
    assert label == f"Release 2 revises 1: {figures['figures']} figures moved in {len(figures['tables'])} tables"
    listed = next(d.value for d in viewer.dataframe if "Before" in d.value.columns)
    fact = listed[listed["Table"] == "fact_regional_industry"].to_dict("records")
    assert fact == [{"Table": "fact_regional_industry", "Row": "region_code=210100; industry_code=13; year=2022; "
                     "measure=employment", "Figure": "value", "Before": "100.0", "After": "120.0"}]
    # release 1, opened from the calendar, says a newer revision exists
    viewer = viewer.button(key="open_1").click().run()
    assert "A newer revision exists: release 2 (沈阳市农副食品加工业从业人员更正)" in texts(viewer)
