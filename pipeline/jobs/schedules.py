"""Recomputation schedules: named cron expressions, evaluated in the bureau's time zone, kept in ``ops.sqlite``.

    >>> add_schedule(settings, "0 6 * * 1", name="monday-6am", who="admin")     # doctest: +SKIP
    >>> next_runs("0 6 * * 1", "Asia/Shanghai", after=datetime(2025, 1, 1, tzinfo=UTC), n=1)
    [datetime.datetime(2025, 1, 6, 6, 0, tzinfo=zoneinfo.ZoneInfo(key='Asia/Shanghai'))]

A schedule stores its next due time (UTC). The worker calls :func:`fire_due_schedules` with its clock's ``now``:
every schedule due at or before ``now`` queues one job (missed runs, e.g. while the worker was down, are not
replayed: one build brings the warehouse up to date) and moves on to its next due time after ``now``. A paused
schedule has no due time; resuming it starts from the resume time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter

from pipeline.core.errors import ClusterstatsError
from pipeline.core.settings import Settings
from pipeline.jobs.queue import enqueue_in, open_store

NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class ScheduleInvalid(ClusterstatsError):
    """The schedule is not valid: write a five-field cron expression, e.g. "0 6 * * 1" (Mondays at 06:00)."""


class ScheduleNotFound(ClusterstatsError):
    """There is no schedule of that name; `clusterstats schedule list` shows them."""


@dataclass(frozen=True)
class Schedule:
    """A recomputation schedule as stored."""

    name: str
    cron: str
    timezone: str
    paused: bool
    next_due_at: datetime | None
    last_fired_at: datetime | None
    created_by: str
    created_at: str

    def to_dict(self) -> dict[str, object]:
        tz = ZoneInfo(self.timezone)
        return {
            "name": self.name, "cron": self.cron, "timezone": self.timezone, "paused": self.paused,
            "next_due_at": self.next_due_at.isoformat() if self.next_due_at else None,
            "next_due_local": self.next_due_at.astimezone(tz).isoformat() if self.next_due_at else None,
            "last_fired_at": self.last_fired_at.isoformat() if self.last_fired_at else None,
            "created_by": self.created_by, "created_at": self.created_at,
        }


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    return value.astimezone(UTC)


def _iso(value: datetime) -> str:
    return _utc(value).isoformat(timespec="seconds")


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def next_runs(cron: str, timezone: str, *, after: datetime, n: int = 1) -> list[datetime]:
    """The next ``n`` times (in ``timezone``) strictly after ``after`` when ``cron`` fires."""
    it = croniter(cron, _utc(after).astimezone(ZoneInfo(timezone)))
    return [it.get_next(datetime) for _ in range(n)]


def check_cron(cron: str, timezone: str) -> str:
    """The expression, normalised (single spaces), or :class:`ScheduleInvalid` saying what is wrong."""
    text = " ".join(cron.split())
    if len(text.split(" ")) != 5 or not croniter.is_valid(text):
        raise ScheduleInvalid(
            f"{cron!r} is not a five-field cron expression (minute hour day-of-month month day-of-week); "
            'e.g. "0 6 * * 1" runs Mondays at 06:00, "30 2 * * *" every night at 02:30.'
        )
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleInvalid(f"{timezone!r} is not a known time zone name (e.g. Asia/Shanghai).") from None
    return text


def _from_row(row: object) -> Schedule:
    d = dict(row)  # type: ignore[call-overload]
    return Schedule(
        name=d["name"], cron=d["cron"], timezone=d["timezone"], paused=bool(d["paused"]),
        next_due_at=_parse(d["next_due_at"]), last_fired_at=_parse(d["last_fired_at"]),
        created_by=d["created_by"], created_at=d["created_at"],
    )


def add_schedule(settings: Settings, cron: str, *, name: str | None = None, who: str,
                 now: datetime | None = None) -> Schedule:
    """Add a schedule (in ``settings.timezone``); its first run is the next time ``cron`` fires after ``now``."""
    now = now or datetime.now(UTC)
    cron = check_cron(cron, settings.timezone)
    if name is not None and not NAME_PATTERN.match(name):
        raise ScheduleInvalid(f"{name!r}: a schedule name is letters, digits, '-', '_' or '.', e.g. nightly.")
    (due,) = next_runs(cron, settings.timezone, after=now)
    store = open_store(settings)
    with store.transaction() as con:
        if name is None:
            taken = {r[0] for r in con.execute("select name from schedules")}
            name = next(f"schedule-{i}" for i in range(1, len(taken) + 2) if f"schedule-{i}" not in taken)
        elif con.execute("select 1 from schedules where name = ?", (name,)).fetchone():
            raise ScheduleInvalid(f"A schedule named {name!r} exists; remove it first or choose another name.")
        con.execute(
            "insert into schedules (name, cron, timezone, paused, next_due_at, created_by, created_at) "
            "values (?, ?, ?, 0, ?, ?, ?)",
            (name, cron, settings.timezone, _iso(due), who, _iso(now)),
        )
        store._audit(con, who, "schedule_added", {"name": name, "cron": cron, "timezone": settings.timezone})
        row = con.execute("select * from schedules where name = ?", (name,)).fetchone()
    return _from_row(row)


def list_schedules(settings: Settings) -> list[Schedule]:
    """Every schedule, by name."""
    if not settings.ops_path.exists():
        return []
    with open_store(settings).connect() as con:
        return [_from_row(r) for r in con.execute("select * from schedules order by name").fetchall()]


def get_schedule(settings: Settings, name: str) -> Schedule:
    with open_store(settings).connect() as con:
        row = con.execute("select * from schedules where name = ?", (name,)).fetchone()
    if row is None:
        raise ScheduleNotFound(f"There is no schedule named {name!r}; `clusterstats schedule list` shows them.")
    return _from_row(row)


def remove_schedule(settings: Settings, name: str, *, who: str) -> None:
    store = open_store(settings)
    with store.transaction() as con:
        if con.execute("delete from schedules where name = ?", (name,)).rowcount == 0:
            raise ScheduleNotFound(f"There is no schedule named {name!r}; `clusterstats schedule list` shows them.")
        store._audit(con, who, "schedule_removed", {"name": name})


def set_paused(settings: Settings, name: str, paused: bool, *, who: str, now: datetime | None = None) -> Schedule:
    """Pause (no due time) or resume (next due time after ``now``) a schedule."""
    schedule = get_schedule(settings, name)
    due = None if paused else next_runs(schedule.cron, schedule.timezone, after=now or datetime.now(UTC))[0]
    store = open_store(settings)
    with store.transaction() as con:
        con.execute("update schedules set paused = ?, next_due_at = ? where name = ?",
                    (int(paused), _iso(due) if due else None, name))
        store._audit(con, who, "schedule_paused" if paused else "schedule_resumed", {"name": name})
    return get_schedule(settings, name)


def fire_due_schedules(settings: Settings, now: datetime) -> list[tuple[str, datetime]]:
    """Queue one job for every active schedule due at or before ``now``; returns (name, due time) of each.

    Runs in one transaction, so two processes calling it at once cannot fire a schedule twice.
    """
    store = open_store(settings)
    fired: list[tuple[str, datetime]] = []
    with store.transaction() as con:
        rows = con.execute(
            "select * from schedules where paused = 0 and next_due_at is not null and next_due_at <= ? order by name",
            (_iso(now),),
        ).fetchall()
        for row in rows:
            schedule = _from_row(row)
            assert schedule.next_due_at is not None
            (following,) = next_runs(schedule.cron, schedule.timezone, after=now)
            con.execute("update schedules set next_due_at = ?, last_fired_at = ? where name = ?",
                        (_iso(following), _iso(schedule.next_due_at), schedule.name))
            local_due = schedule.next_due_at.astimezone(ZoneInfo(schedule.timezone))
            enqueue_in(con, trigger="schedule", who=f"schedule:{schedule.name}", now=now,
                       detail={"schedule": schedule.name, "cron": schedule.cron, "due": local_due.isoformat()})
            store._audit(con, "system", "schedule_fired", {"name": schedule.name, "due": _iso(schedule.next_due_at)})
            fired.append((schedule.name, schedule.next_due_at))
    return fired


def next_due(settings: Settings) -> datetime | None:
    """The earliest due time of any active schedule (the worker sleeps until then at most)."""
    dues = [s.next_due_at for s in list_schedules(settings) if not s.paused and s.next_due_at]
    return min(dues) if dues else None


def describe(schedule: Schedule) -> str:
    """One line for the CLI: name, cron, zone, state and next run in local time."""
    tz = ZoneInfo(schedule.timezone)
    state = "paused" if schedule.paused else (
        f"next {schedule.next_due_at.astimezone(tz):%Y-%m-%d %H:%M %Z}" if schedule.next_due_at else "no next run")
    return f"{schedule.name:<16} {schedule.cron:<16} {schedule.timezone:<15} {state}"


__all__ = [
    "Schedule", "ScheduleInvalid", "ScheduleNotFound", "add_schedule", "check_cron", "describe",
    "fire_due_schedules", "get_schedule", "list_schedules", "next_due", "next_runs", "remove_schedule",
    "set_paused",
]
