-- Growth of every region x industry between two years, for a measure.
-- grain: region_code, industry_code
select region_code, industry_code, value_start, value_end, change, growth_rate, cagr, note
from mart_growth
where start_year = $start_year and end_year = $end_year and measure = $measure
  and region_level = $region_level and industry_level = $industry_level
order by region_code, industry_code
