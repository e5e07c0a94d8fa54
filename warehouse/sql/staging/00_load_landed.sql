-- The staging view of one kind: its landed Parquet files, each row tagged with its upload, vintage and landing
-- order. {view} and {shape} are filled by warehouse.db.quote_ident and {paths} by warehouse.db.quote_literal (the
-- files of this data directory's manifest); views cannot take bound parameters. {shape} is the kind's empty staging
-- table of the DDL: stacked by name under the files, it gives a file landed before a column was added that column
-- (empty), so the staging SQL reads every layout the kind has had.
-- grain: upload_id, the kind's key
create or replace view {view} as
with landed as (
    select * from read_parquet([{paths}], filename = true, union_by_name = true)
),
manifest as (
    select upload_id, vintage, seq, abs_path from stg_uploads
),
files as (
    select landed.* exclude (filename), manifest.upload_id, manifest.vintage, manifest.seq
    from landed
    join manifest on landed.filename = manifest.abs_path
),
final as (
    select * from {shape}
    union all by name
    select * from files
)
select * from final
