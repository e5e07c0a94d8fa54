-- Which region-years the regional-industry records cover: records, industries and measures per region and year.
-- grain: region_code, year
with facts as (
    select * from fact_regional_industry
),
final as (
    select f.region_code, r.name, r.name_en, r.level, f.year, count(*) as cells,
           count(distinct f.industry_code) as industries, count(distinct f.measure) as measures,
           max(f.vintage) as newest_vintage
    from facts f
    left join dim_region r on r.code = f.region_code
    group by all
)
select * from final order by region_code, year
