"""Methodology changes under four eyes (issue 16): an administrator proposes a named version; its proposer cannot
approve it; another administrator sees its diff and its rank moves and approves it, and it applies to the next
official build. Through the CLI and the app."""

from __future__ import annotations

from conftest import app_as
from test_submissions import run

from pipeline.access.users import audit_log
from pipeline.jobs.methodologies import active_methodology, methodology_path, methodology_text
from pipeline.jobs.queue import job_history
from pipeline.jobs.worker import Worker
from pipeline.publishing.methodology import proposals
from pipeline.scoring import Methodology
from ui.components_methodology import with_pillar_weights
from warehouse.queries import build_info


def openness_x10(settings) -> str:
    """The default methodology with the openness pillar weighing 10 (test_ui_admin.py: the tiny set's two clusters
    swap places under it)."""
    return with_pillar_weights(methodology_text(settings), Methodology.default(), {"openness": 10})


def test_a_methodology_change_needs_a_second_administrator_through_the_cli(staffed, tmp_path):
    before = active_methodology(staffed).hash
    path = tmp_path / "openness.toml"
    path.write_text(openness_x10(staffed), encoding="utf-8")
    refused = run(staffed, "methodology", "propose", str(path), "--name", "x", user="rita")  # a reviewer may not
    assert refused.exit_code == 1 and "needs the admin role" in refused.output
    proposed = run(staffed, "methodology", "propose", str(path), "--name", "2024 weights: openness x10", user="ada")
    assert proposed.exit_code == 0, proposed.output
    (p,) = proposals(staffed)
    assert (p["status"], p["name"], p["base_hash"], p["hash"]) == ("proposed", "2024 weights: openness x10", before,
                                                                   Methodology.from_text(path.read_text()).hash)
    assert not methodology_path(staffed).exists() and active_methodology(staffed).hash == before  # not yet
    diff = run(staffed, "methodology", "diff", str(p["id"]), user="ming")
    assert diff.output.startswith(f"--- active {before}") and "+weight = 10" in diff.output.replace('"', "")
    own = run(staffed, "methodology", "approve", str(p["id"]), user="ada")
    assert own.exit_code == 1 and "ada proposed methodology 1 and cannot also approve it" in own.output
    approved = run(staffed, "methodology", "approve", str(p["id"]), user="ming")
    assert approved.exit_code == 0, approved.output
    assert active_methodology(staffed).hash == p["hash"]
    (job,) = [j for j in job_history(staffed) if j["status"] == "queued"]
    assert job["trigger"] == "methodology"
    Worker(staffed).tick()
    assert build_info(staffed.warehouse_path)["methodology_hash"] == p["hash"]  # the next official build uses it
    actions = [(e["who"], e["action"]) for e in audit_log(staffed)]
    assert ("ada", "methodology_proposed") in actions and ("ming", "methodology_approved") in actions
    # a second proposal, rejected with a comment: nothing changes
    path.write_text(with_pillar_weights(methodology_text(staffed), active_methodology(staffed), {"openness": 2}),
                    encoding="utf-8")
    assert run(staffed, "methodology", "propose", str(path), "--name", "openness x2", user="ming").exit_code == 0
    rejected = run(staffed, "methodology", "reject", "2", "--comment", "not before the annual review", user="ada")
    assert rejected.exit_code == 0 and active_methodology(staffed).hash == p["hash"]
    listed = run(staffed, "methodology", "list", user="ada").output
    assert "rejected by ada" in listed and "not before the annual review" in listed


def test_a_methodology_proposal_is_approved_in_the_app_by_another_administrator(staffed, monkeypatch):
    from pipeline.publishing.methodology import propose

    p = propose(staffed, openness_x10(staffed), name="openness x10", who="ada")

    def open_as(name: str):
        return app_as(staffed, monkeypatch, name, page="methodology")

    ada = open_as("ada")
    assert any("Proposed versions waiting for a second administrator (1)" in m.value for m in ada.markdown)
    ada = ada.button(key=f"proposal_approve_{p['id']}").click().run()
    assert any("ada proposed methodology 1 and cannot also approve it" in e.value for e in ada.error)
    ming = open_as("ming")
    assert any(f"+++ proposal {p['id']} {p['hash']} (openness x10)" in code.value for code in ming.code)
    ming = ming.button(key=f"proposal_preview_{p['id']}").click().run()  # its rank moves, on the first click
    moves = next(d.value for d in ming.dataframe if "Rank with the edit" in d.value.columns)
    assert set(moves["Move"].abs()) == {1}  # the two clusters swap places (test_ui_admin.py)
    ming = ming.button(key=f"proposal_approve_{p['id']}").click().run()
    assert any(f"version {p['hash']} applies from the next official build" in s.value for s in ming.success)
    assert active_methodology(staffed).hash == p["hash"]
    ming = ming.run()
    versions = next(d.value for d in ming.dataframe if "In the live build" in d.value.columns).set_index("Version")
    # a version is shown by name and number, with its short hash
    from pipeline.jobs.methodologies import version_label

    label = version_label(staffed, p["hash"], "en")
    assert label.endswith(f"version 2 ({p['hash'][:8]})")  # the default was the first version archived
    assert versions.loc[label, "Name"] == "openness x10 (proposed by ada, approved by ming)"
