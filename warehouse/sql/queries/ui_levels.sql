-- The region and industry levels the regional indices were computed at, the most detailed (most regions) first:
-- pages show the first unless told otherwise.
-- grain: region_level, industry_level
select region_level, industry_level, count(distinct region_code) as regions, count(distinct industry_code) as industries,
       min(year) as first_year, max(year) as last_year
from mart_location_quotient
group by region_level, industry_level
order by regions desc, industries desc
