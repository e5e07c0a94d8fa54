-- Province totals of every measure (the sum over the regions of one level) in a year and the year before.
-- grain: measure
with profile as (
    select * from mart_region_profile where region_level = $region_level and industry_level = $industry_level
),
totals as (
    select year, measure, sum(value_total) as total from profile group by year, measure
),
final as (
    select cur.measure, cur.total, prev.total as total_previous
    from totals cur
    left join totals prev on prev.measure = cur.measure and prev.year = cur.year - 1
    where cur.year = $year
)
select * from final order by measure
