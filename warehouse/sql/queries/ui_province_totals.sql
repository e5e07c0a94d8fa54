-- Province totals of every measure (the sum over the regions of one level) in a year and the year before.
-- grain: measure
with profile as (
    select * from mart_region_profile
    where region_level = $region_level and industry_level = $industry_level and year in ($year, $year - 1)
),
-- a release that withholds a region's total publishes the grand total itself (when its protection holds)
grand as (
    select year, measure, max(total) as total from mart_location_quotient
    where region_level = $region_level and industry_level = $industry_level and year in ($year, $year - 1)
    group by year, measure
),
totals as (
    select p.year, p.measure,
           case when count(p.value_total) = count(*) then sum(p.value_total) else any_value(g.total) end as total
    from profile p left join grand g using (year, measure)
    group by p.year, p.measure
),
final as (
    select cur.measure, cur.total, prev.total as total_previous
    from totals cur
    left join totals prev on prev.measure = cur.measure and prev.year = cur.year - 1
    where cur.year = $year
)
select * from final order by measure
