-- Load one kind's landed Parquet files into its staging table, tagging each row with its upload.
-- {table} is filled by warehouse.db.quote_ident; ? is the list of Parquet paths (bound).
-- grain: upload_id, the kind's key
insert into {table} by name
with landed as (
    select * from read_parquet(?, filename = true, union_by_name = true)
),
manifest as (
    select upload_id, vintage, seq, abs_path from _manifest
),
final as (
    select landed.* exclude (filename), manifest.upload_id, manifest.vintage, manifest.seq
    from landed
    join manifest on landed.filename = manifest.abs_path
)
select * from final
