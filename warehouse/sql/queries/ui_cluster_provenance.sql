-- Where one cluster's numbers for a year come from: the uploads (file, vintage, who, when) whose records the
-- warehouse holds for it, and the dictionary upload that defines it.
-- grain: upload_id
with facts as (
    select upload_id, count(*) as cells, string_agg(distinct indicator, ', ' order by indicator) as what
    from fact_cluster_indicator
    where cluster_code = $code and year = $year
    group by upload_id
),
dictionary as (
    select upload_id, 1 as cells, 'cluster definition' as what from dim_cluster where code = $code
),
firms as (
    select upload_id, count(*) as cells, 'firm records' as what
    from fact_firm where cluster_code = $code and year = $year
    group by upload_id
),
final as (
    select u.kind, u.vintage, u.file_name, u.who, u.landed_at, x.cells, x.what, u.upload_id, u.seq
    from (select * from facts union all select * from dictionary union all select * from firms) x
    join stg_uploads u on u.upload_id = x.upload_id
)
select * from final order by seq
