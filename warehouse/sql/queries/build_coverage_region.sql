-- Which region-years the regional-industry records cover: records, industries and measures per region and year
-- (written to mart_coverage_region by the build).
-- grain: region_code, year
select region_code, year, count(*) as cells, count(distinct industry_code) as industries,
       count(distinct measure) as measures, max(vintage) as newest_vintage
from fact_regional_industry
group by region_code, year
