-- Cluster indicators in long form; the newest vintage reporting an indicator wins.
-- newest_only: qualify row_number() over (partition by cluster_code, region_code, year, indicator order by seq desc, source_row desc) = 1
-- grain: cluster_code, region_code, year, indicator
insert into fact_cluster_indicator
with stg as (
    select * from stg_cluster_indicators
),
long as (
    unpivot stg
    on columns(* exclude (cluster_code, region_code, year, source_row, upload_id, vintage, seq))
    into name indicator value value
),
final as (
    select cluster_code, region_code, year, indicator, value, upload_id, vintage, source_row
    from long
    {newest_only}
)
select * from final
