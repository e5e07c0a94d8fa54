"""Methodology changes under four eyes: an administrator proposes a named version, another administrator approves
it (it becomes ``<data dir>/methodology.toml`` and an official build is queued) or rejects it with a comment. The
approver sees its difference from the active methodology (the settings, as a diff of the text; the rank moves, in
the app's preview). A data directory without accounts is single-user: there is no second person, so a change
applies at once and the audit log says it had one pair of eyes.
"""

from __future__ import annotations

import difflib
from datetime import UTC, datetime
from typing import Any

from pipeline.access.users import auth_enabled
from pipeline.core.errors import ClusterstatsError
from pipeline.core.files import write_text_atomic
from pipeline.core.messages import Msg
from pipeline.core.ops import OpsStore
from pipeline.core.settings import Settings
from pipeline.jobs.methodologies import active_methodology, archive, methodology_path, methodology_text
from pipeline.jobs.queue import enqueue
from pipeline.publishing.authority import authorise
from pipeline.scoring import Methodology


class ProposalError(ClusterstatsError):
    """The methodology proposal cannot be made or decided that way."""


def _store(settings: Settings) -> OpsStore:
    store = OpsStore(settings.ops_path)
    store.migrate()
    return store


def proposals(settings: Settings, *, status: str | None = None) -> list[dict[str, Any]]:
    """Methodology proposals, newest first (of one status)."""
    with _store(settings).connect() as con:
        rows = con.execute("select * from methodology_proposals where (? is null or status = ?) order by id desc",
                           (status, status)).fetchall()
    return [dict(r) for r in rows]


def proposal(settings: Settings, proposal_id: int) -> dict[str, Any]:
    with _store(settings).connect() as con:
        row = con.execute("select * from methodology_proposals where id = ?", (proposal_id,)).fetchone()
    if row is None:
        raise ProposalError(f"There is no methodology proposal {proposal_id} (`clusterstats methodology list`).")
    return dict(row)


def propose(settings: Settings, text: str, *, name: str, who: str) -> dict[str, Any]:
    """Validate ``text`` and record it as a named proposal. Without accounts (single-user) it applies at once."""
    authorise(settings, who, "admin", "propose methodology changes")
    if not name.strip():
        raise ProposalError("Name the version (--name), e.g. \"2024 weights: openness doubled\": approvers and the "
                            "version history show it.")
    m = Methodology.from_text(text, source="methodology.toml")  # raises MethodologyInvalid naming the problems
    base = active_methodology(settings)
    if m.hash == base.hash:
        raise ProposalError(f"This is the active methodology ({base.hash}) already: nothing to propose.")
    now = datetime.now(UTC).isoformat(timespec="seconds")
    store = _store(settings)
    with store.transaction() as con:
        cur = con.execute("insert into methodology_proposals (name, hash, text, base_hash, status, proposed_by, "
                          "proposed_at) values (?, ?, ?, ?, 'proposed', ?, ?)",
                          (name.strip(), m.hash, text, base.hash, who, now))
        proposal_id = int(cur.lastrowid or 0)
        OpsStore._audit(con, who, "methodology_proposed", {"proposal": proposal_id, "name": name.strip(),
                                                           "hash": m.hash, "base": base.hash})
    if not auth_enabled(settings):  # single-user: nobody else could approve
        return approve(settings, proposal_id, who=who)
    return proposal(settings, proposal_id)


def diff(settings: Settings, proposal_id: int) -> str:
    """The proposal's text against the active methodology's, as a unified diff."""
    p = proposal(settings, proposal_id)
    active = methodology_text(settings)
    return "".join(difflib.unified_diff(active.splitlines(keepends=True), p["text"].splitlines(keepends=True),
                                        fromfile=f"active {active_methodology(settings).hash}",
                                        tofile=f"proposal {p['id']} {p['hash']} ({p['name']})"))


def approve(settings: Settings, proposal_id: int, *, who: str) -> dict[str, Any]:
    """Make a proposal the active methodology (four eyes: not by its proposer, when accounts exist) and queue an
    official build."""
    authorise(settings, who, "admin", "approve methodology changes")
    p = proposal(settings, proposal_id)
    if p["status"] != "proposed":
        raise ProposalError(f"Proposal {proposal_id} is {p['status']} already.")
    four_eyes = auth_enabled(settings)
    if four_eyes and p["proposed_by"] == who:
        raise ProposalError(f"{who} proposed methodology {proposal_id} and cannot also approve it: four eyes, "
                            "another administrator approves.")
    m = Methodology.from_text(p["text"], source="methodology.toml")
    target = methodology_path(settings)
    write_text_atomic(target, p["text"], what=Msg("land.methodology_file", name=target.name))
    archive(settings, m, p["text"])
    store = _store(settings)
    with store.transaction() as con:
        con.execute("update methodology_proposals set status = 'approved', decided_by = ?, decided_at = ? "
                    "where id = ?", (who, datetime.now(UTC).isoformat(timespec="seconds"), proposal_id))
        OpsStore._audit(con, who, "methodology_approved", {"proposal": proposal_id, "name": p["name"],
                                                           "hash": m.hash, "four_eyes": four_eyes})
    enqueue(settings, trigger="methodology", who=who, detail={"methodology": m.hash, "name": p["name"]})
    return proposal(settings, proposal_id)


def reject(settings: Settings, proposal_id: int, *, who: str, comment: str) -> dict[str, Any]:
    """Reject a proposal with a comment (the proposer reads it); nothing changes."""
    authorise(settings, who, "admin", "reject methodology changes")
    if not (comment or "").strip():
        raise ProposalError("Say why the proposal is rejected (--comment).")
    p = proposal(settings, proposal_id)
    if p["status"] != "proposed":
        raise ProposalError(f"Proposal {proposal_id} is {p['status']} already.")
    with _store(settings).transaction() as con:
        con.execute("update methodology_proposals set status = 'rejected', decided_by = ?, decided_at = ?, "
                    "comment = ? where id = ?",
                    (who, datetime.now(UTC).isoformat(timespec="seconds"), comment.strip(), proposal_id))
        OpsStore._audit(con, who, "methodology_rejected", {"proposal": proposal_id, "comment": comment.strip()})
    return proposal(settings, proposal_id)


__all__ = ["ProposalError", "approve", "diff", "proposal", "proposals", "propose", "reject"]
