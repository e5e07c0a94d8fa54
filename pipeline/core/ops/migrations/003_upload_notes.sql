-- Warnings and notices of landed uploads (pipeline/ingest/report.py): kept with the manifest row, written in the
-- same transaction. Errors are never landed; a rejected upload keeps its whole report in rejections.report_json.
create table if not exists upload_notes (
    upload_id  text not null,                          -- uploads.upload_id
    severity   text not null,                          -- warning, notice
    source_row integer,                                -- row in the user's file (null: the whole file or column)
    column_label text not null,                        -- the header as written
    value      text,
    rule       text not null,                          -- key of pipeline.ingest.report.RULES
    fix        text not null
);
create index if not exists upload_notes_upload on upload_notes (upload_id);

-- Cells marked missing or suppressed ('-', 'NA', '…', 'x' ...): landed as empty cells, flagged here, never zero.
create table if not exists upload_cell_flags (
    upload_id  text not null,
    source_row integer not null,                       -- row in the user's file
    field      text not null,                          -- canonical column
    value      text not null,                          -- the marker as typed
    flag       text not null                           -- missing, suppressed
);
create index if not exists upload_cell_flags_upload on upload_cell_flags (upload_id);

-- Rows set aside by --accept-valid-rows (the other rows landed), or a rejected upload's rows: where the file
-- with the rows and their reasons is (relative to the data directory), and the upload that landed the rest.
alter table rejections add column rows_path text;
alter table rejections add column upload_id text;
