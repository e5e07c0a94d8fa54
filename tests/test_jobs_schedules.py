"""Schedules: cron in the bureau's time zone, fired by the worker's clock when due and not before."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import click
import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.cli.jobs import register
from pipeline.jobs.attempts import Attempt, WorkerConfig
from pipeline.jobs.queue import job_history
from pipeline.jobs.schedules import (
    ScheduleInvalid,
    ScheduleNotFound,
    add_schedule,
    fire_due_schedules,
    list_schedules,
    next_runs,
    remove_schedule,
    set_paused,
)
from pipeline.jobs.worker import Worker

SHANGHAI = ZoneInfo("Asia/Shanghai")


class FakeClock:
    """A clock the test moves by hand; sleeping advances it."""

    def __init__(self, start: datetime) -> None:
        self.t = start

    def now(self) -> datetime:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.t += timedelta(seconds=seconds)

    def set(self, **local: int) -> None:
        self.t = datetime(tzinfo=SHANGHAI, **local)  # type: ignore[arg-type]


class CountingRunner:
    """Stands in for the child-process builds: the schedule logic is what these tests are about."""

    def __init__(self) -> None:
        self.jobs: list[dict] = []
        self.should_stop = lambda: False

    def run(self, job: dict) -> Attempt:
        self.jobs.append(job)
        return Attempt("succeeded", "stub build", 0.0, build_id=f"stub-{len(self.jobs)}")


def _cli() -> click.Group:
    group = copy.copy(cli)
    group.commands = dict(cli.commands)
    register(group)
    return group


def test_cron_is_evaluated_in_the_bureau_time_zone():
    # 09:00 in Shanghai is 01:00 UTC
    (due,) = next_runs("0 9 * * *", "Asia/Shanghai", after=datetime(2025, 3, 3, 0, 0, tzinfo=UTC))
    assert due.astimezone(UTC) == datetime(2025, 3, 3, 1, 0, tzinfo=UTC)
    assert due.tzinfo is not None and due.utcoffset() == timedelta(hours=8)


def test_a_schedule_fires_when_due_and_not_before(settings):
    clock = FakeClock(datetime(2025, 3, 3, 8, 0, tzinfo=SHANGHAI))
    s = add_schedule(settings, "0 9 * * 1-5", name="morning", who="admin", now=clock.now())
    assert s.timezone == "Asia/Shanghai"
    assert s.next_due_at == datetime(2025, 3, 3, 9, 0, tzinfo=SHANGHAI)
    runner = CountingRunner()
    worker = Worker(settings, clock=clock, runner=runner, config=WorkerConfig(retries=0))

    clock.set(year=2025, month=3, day=3, hour=8, minute=59, second=59)
    assert worker.tick() == [] and runner.jobs == [] and job_history(settings) == []

    clock.set(year=2025, month=3, day=3, hour=9, minute=0, second=0)
    (job,) = worker.tick()
    assert (job["trigger"], job["who"], job["status"]) == ("schedule", "schedule:morning", "succeeded")
    assert job["detail"][0]["detail"]["due"] == "2025-03-03T09:00:00+08:00"
    assert len(runner.jobs) == 1

    # later the same day: nothing more until tomorrow 09:00
    clock.set(year=2025, month=3, day=3, hour=18, minute=0, second=0)
    assert worker.tick() == []
    (s,) = list_schedules(settings)
    assert s.next_due_at == datetime(2025, 3, 4, 9, 0, tzinfo=SHANGHAI)
    assert s.last_fired_at == datetime(2025, 3, 3, 9, 0, tzinfo=SHANGHAI)


def test_missed_runs_are_not_replayed_and_weekends_are_skipped(settings):
    clock = FakeClock(datetime(2025, 3, 7, 8, 0, tzinfo=SHANGHAI))  # a Friday
    add_schedule(settings, "0 9 * * 1-5", name="weekdays", who="admin", now=clock.now())
    clock.set(year=2025, month=3, day=12, hour=12, minute=0)  # the worker was down from Friday to Wednesday noon
    fired = fire_due_schedules(settings, clock.now())
    assert [name for name, _ in fired] == ["weekdays"]  # one build brings everything up to date
    (s,) = list_schedules(settings)
    assert s.next_due_at == datetime(2025, 3, 13, 9, 0, tzinfo=SHANGHAI)
    assert fire_due_schedules(settings, clock.now()) == []


def test_paused_schedules_do_not_fire_and_resume_from_now(settings):
    clock = FakeClock(datetime(2025, 3, 3, 8, 0, tzinfo=SHANGHAI))
    add_schedule(settings, "*/15 * * * *", name="often", who="admin", now=clock.now())
    set_paused(settings, "often", True, who="admin")
    clock.set(year=2025, month=3, day=3, hour=10, minute=0)
    assert fire_due_schedules(settings, clock.now()) == []
    s = set_paused(settings, "often", False, who="admin", now=clock.now())
    assert s.next_due_at == datetime(2025, 3, 3, 10, 15, tzinfo=SHANGHAI)


def test_several_due_schedules_give_one_job(settings):
    clock = FakeClock(datetime(2025, 3, 3, 8, 0, tzinfo=SHANGHAI))
    add_schedule(settings, "0 9 * * *", name="a", who="admin", now=clock.now())
    add_schedule(settings, "0 9 * * *", name="b", who="admin", now=clock.now())
    runner = CountingRunner()
    clock.set(year=2025, month=3, day=3, hour=9, minute=0)
    (job,) = Worker(settings, clock=clock, runner=runner).tick()
    assert job["requests"] == 2 and [r["who"] for r in job["detail"]] == ["schedule:a", "schedule:b"]
    assert len(runner.jobs) == 1


def test_bad_schedules_are_refused_with_a_fix(settings):
    with pytest.raises(ScheduleInvalid, match="five-field cron"):
        add_schedule(settings, "every day", who="admin")
    with pytest.raises(ScheduleInvalid, match="five-field cron"):
        add_schedule(settings, "0 9 * * * *", who="admin")
    add_schedule(settings, "0 9 * * *", name="nightly", who="admin")
    with pytest.raises(ScheduleInvalid, match="exists"):
        add_schedule(settings, "0 1 * * *", name="nightly", who="admin")
    with pytest.raises(ScheduleNotFound):
        remove_schedule(settings, "nope", who="admin")


def test_schedule_cli_round_trip(settings):
    group, runner = _cli(), CliRunner()
    base = ["--data-dir", str(settings.data_dir), "schedule"]
    result = runner.invoke(group, [*base, "add", "30 2 * * *", "--name", "nightly", "--who", "admin"])
    assert result.exit_code == 0, result.output
    assert "nightly" in result.output and "Asia/Shanghai" in result.output and "02:30 CST" in result.output
    assert runner.invoke(group, [*base, "pause", "nightly"]).output.rstrip().endswith("paused")
    assert "next" in runner.invoke(group, [*base, "resume", "nightly"]).output
    listed = runner.invoke(group, [*base, "list", "--json"])
    assert '"cron": "30 2 * * *"' in listed.output
    assert runner.invoke(group, [*base, "remove", "nightly"]).exit_code == 0
    assert "No schedules" in runner.invoke(group, base).output
    bad = runner.invoke(group, [*base, "add", "at noon"])
    assert bad.exit_code == 1 and "five-field cron" in bad.output and "Traceback" not in bad.output


@pytest.mark.parametrize("path", [
    ["schedule"], ["schedule", "add"], ["schedule", "list"], ["schedule", "remove"], ["schedule", "pause"],
    ["schedule", "resume"], ["jobs"], ["jobs", "run"], ["jobs", "show"], ["jobs", "report"], ["worker"],
])
def test_every_job_command_has_help_with_an_example(path):
    result = CliRunner().invoke(_cli(), [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output and f"clusterstats {' '.join(path)}" in result.output


def test_register_adds_the_commands_and_leaves_the_original_group_alone():
    group = _cli()
    assert {"schedule", "jobs", "worker"} <= set(group.commands)
    assert "schedule" not in cli.commands or cli.commands["schedule"] is group.commands["schedule"]
