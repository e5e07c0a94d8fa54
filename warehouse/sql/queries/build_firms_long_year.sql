-- Firm records of one year ($year), one row per measure, with the level of the firm's region.
-- grain: firm_id, measure (one year)
with firms as (
    select f.*, r.level as region_level
    from fact_firm f
    join dim_region r on r.code = f.region_code
    where f.year = $year
),
final as (
    unpivot (select firm_id, year, region_code, region_level, industry_code, cluster_code, employment, output_value
             from firms)
    on employment, output_value
    into name measure value value
)
select * from final
