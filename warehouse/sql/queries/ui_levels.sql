-- The region and industry levels the regional indices were computed at, the most detailed (most regions) first:
-- pages show the first unless told otherwise (from the build's summary).
-- grain: region_level, industry_level
select region_level, industry_level, regions, industries, first_year, last_year
from mart_levels
order by regions desc, industries desc
