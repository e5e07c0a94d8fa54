-- Which region-years the regional-industry records cover: records, industries and measures per region and year
-- (from the build's summary, never a scan of the facts).
-- grain: region_code, year
select c.region_code, r.name, r.name_en, r.level, c.year, c.cells, c.industries, c.measures, c.newest_vintage
from mart_coverage_region c
left join dim_region r on r.code = c.region_code
order by r.ord, c.region_code, c.year  -- the dictionary's order
