-- Measures of the regional-industry records with indices, and the years each covers.
-- grain: measure
select measure, min(year) as first_year, max(year) as last_year, count(distinct year) as years
from mart_region_profile
group by measure
order by measure
