-- Firm records: the newest vintage of each firm and year (the whole record).
-- newest_only: qualify row_number() over (partition by firm_id, year order by seq desc, source_row desc) = 1
-- grain: firm_id, year
insert into fact_firm
with stg as (
    select * from stg_firms
),
final as (
    select firm_id, year, name, region_code, industry_code, cluster_code, employment, output_value,
           upload_id, vintage
    from stg
    {newest_only}
)
select * from final
