-- Firm records of firms that belong to a cluster, one row per measure.
-- grain: firm_id, year, measure
with firms as (
    select * from fact_firm where cluster_code is not null
),
final as (
    unpivot (select firm_id, year, cluster_code, employment, output_value from firms)
    on employment, output_value
    into name measure value value
)
select * from final
