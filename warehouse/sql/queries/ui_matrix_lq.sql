-- Location quotients of every region x industry of one level in a year, for a measure.
-- grain: region_code, industry_code
select region_code, industry_code, value, lq, lq_additive, specialised, reference, note
from mart_location_quotient
where year = $year and measure = $measure and region_level = $region_level and industry_level = $industry_level
order by region_code, industry_code
