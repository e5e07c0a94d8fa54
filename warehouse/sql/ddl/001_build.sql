-- Build metadata. One row per warehouse file: which build, when, from what.
-- grain: build_id
create table if not exists _build (
    build_id          varchar primary key,
    built_at          timestamptz not null,
    code_version      varchar not null,
    schema_version    varchar not null,       -- hash of the DDL files: a warehouse from other DDL is rebuilt
    methodology_hash  varchar not null,
    landing_seq       bigint not null,        -- highest manifest seq included (the landing vintage)
    uploads           integer not null,
    demo_data         boolean not null,       -- true when any upload is the synthetic demo set
    trigger           varchar not null,
    who               varchar not null
);

-- The manifest rows this build read.
-- grain: upload_id
create table if not exists stg_uploads (
    seq           bigint not null,
    upload_id     varchar primary key,
    kind          varchar not null,
    vintage       integer not null,
    file_name     varchar not null,
    who           varchar not null,
    landed_at     varchar not null,
    rows          bigint not null,
    units_json    varchar not null,
    abs_path      varchar not null      -- the landed Parquet file the staging views read
);
