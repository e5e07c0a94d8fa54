-- Total output of the regions of the most detailed level at the most detailed industry level, per year: the
-- denominator of a cluster's share of provincial output.
-- grain: year
with facts as (
    select f.year, f.value, r.level as region_level, i.level as industry_level
    from fact_regional_industry f
    join dim_region r on r.code = f.region_code
    join dim_industry i on i.code = f.industry_code
    where f.measure = 'output_value'
),
levels as (
    select region_level, industry_level, count(*) as n from facts group by all order by n desc limit 1
),
final as (
    select year, sum(value) as province_output
    from facts join levels using (region_level, industry_level)
    group by year
)
select * from final
