-- Shift-share components of every region x industry between two years, for a measure.
-- grain: region_code, industry_code
select region_code, industry_code, change, national_share, industry_mix, competitive, net_shift,
       homothetic_competitive, allocation, note
from mart_shift_share
where start_year = $start_year and end_year = $end_year and measure = $measure
  and region_level = $region_level and industry_level = $industry_level
order by region_code, industry_code
