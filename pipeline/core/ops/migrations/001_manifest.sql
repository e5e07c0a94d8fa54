-- Upload manifest: one row per landed upload. A landed file is immutable; a correction is a new vintage.
create table if not exists uploads (
    seq           integer primary key autoincrement,   -- landing order across kinds
    upload_id     text not null unique,                -- content address: sha256(kind, file, options)[:16]
    kind          text not null,
    vintage       integer not null,                    -- 1, 2, ... per kind, in landing order
    file_name     text not null,                       -- as uploaded (no directories)
    sha256        text not null,                       -- of the file's bytes
    rows          integer not null,
    path          text not null,                       -- Parquet file, relative to the data directory
    source_format text not null,                       -- csv, xlsx, parquet
    encoding      text,
    sheet         text,
    headers_json  text not null,                       -- canonical column -> header as written
    units_json    text not null,                       -- column -> declared unit and factor
    who           text not null,
    landed_at     text not null                        -- ISO 8601, UTC
);
create index if not exists uploads_kind on uploads (kind, vintage);

-- Rejected uploads, with their full validation report (nothing of them was landed).
create table if not exists rejections (
    id          integer primary key autoincrement,
    kind        text not null,
    file_name   text not null,
    sha256      text not null,
    failures    integer not null,
    report_json text not null,
    who         text not null,
    at          text not null
);

-- Every build attempt (recompute), successful or not; survives warehouse swaps.
create table if not exists builds (
    build_id     text primary key,
    trigger      text not null,                        -- manual, demo, upload, schedule
    who          text not null,
    pid          integer not null,
    started_at   text not null,
    finished_at  text,
    status       text not null,                        -- running, succeeded, failed
    uploads      integer,
    message      text
);

-- Audit log: who did what, when.
create table if not exists audit_log (
    id      integer primary key autoincrement,
    at      text not null,
    who     text not null,
    action  text not null,
    detail  text not null                              -- JSON
);
