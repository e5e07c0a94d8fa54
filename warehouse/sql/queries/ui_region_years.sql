-- Years with regional indices, newest first.
-- grain: year
select distinct year from mart_region_profile order by year desc
