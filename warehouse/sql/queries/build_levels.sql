-- The region and industry levels of the regional-industry records (those the indices are computed at), the most
-- detailed (most regions) first (written to mart_levels by the build).
-- grain: region_level, industry_level
select r.level as region_level, i.level as industry_level, count(distinct f.region_code) as regions,
       count(distinct f.industry_code) as industries, min(f.year) as first_year, max(f.year) as last_year
from fact_regional_industry f
join dim_region r on r.code = f.region_code
join dim_industry i on i.code = f.industry_code
group by all
