-- Recomputation schedules: cron expressions evaluated in the bureau's time zone (pipeline/jobs/schedules.py).
create table if not exists schedules (
    name          text primary key,
    cron          text not null,                       -- five fields: minute hour day-of-month month day-of-week
    timezone      text not null,                       -- IANA name, e.g. Asia/Shanghai
    paused        integer not null default 0,
    next_due_at   text,                                -- UTC ISO 8601, null while paused
    last_fired_at text,                                -- the due time of the last run it queued (UTC)
    created_by    text not null,
    created_at    text not null
);

-- Recomputation jobs: the queue (status queued) and the history, in one table (pipeline/jobs/queue.py).
-- Several triggers that arrive while a job is queued are merged into it (one build for all of them).
create table if not exists jobs (
    id               integer primary key autoincrement,
    trigger          text not null,                    -- schedule, upload, manual (merged: upload+schedule)
    who              text not null,                    -- who asked first: a user, or schedule:NAME
    requests         integer not null default 1,       -- how many triggers this job answers
    detail           text not null,                    -- JSON list of requests: trigger, who, at, detail
    force            integer not null default 0,       -- build even when nothing changed
    status           text not null,                    -- queued, running, succeeded, unchanged, failed
    requested_at     text not null,                    -- UTC ISO 8601 (all times here)
    not_before       text,                             -- retry backoff: not run before this time
    attempts         integer not null default 0,
    started_at       text,
    finished_at      text,
    duration_s       real,                             -- seconds spent building, all attempts
    rows_read        integer,                          -- landed rows the build read
    build_id         text,                             -- builds.build_id of the last attempt (the live one if skipped)
    methodology_hash text,
    landing_seq      integer,                          -- highest manifest seq the build read
    message          text,                             -- outcome, a failure names its step: "step marts: ..."
    worker_pid       integer
);
create index if not exists jobs_status on jobs (status, id);

-- Every attempt of a job (retries, timeouts), linked to its build.
create table if not exists job_attempts (
    job_id      integer not null references jobs (id),
    attempt     integer not null,
    build_id    text,                                  -- null when the build never started (e.g. lock busy)
    pid         integer,                               -- the build's child process
    started_at  text not null,
    finished_at text not null,
    seconds     real not null,
    status      text not null,                         -- succeeded, failed, timed_out, interrupted
    message     text,
    primary key (job_id, attempt)
);

-- What each build changed against the build before it (pipeline/jobs/changes.py). Kept across builds.
create table if not exists change_reports (
    build_id          text primary key,                -- builds.build_id
    previous_build_id text,
    created_at        text not null,
    no_change         integer not null,                -- 1 when every mart is identical to the previous build's
    summary           text not null,
    report_json       text not null
);
