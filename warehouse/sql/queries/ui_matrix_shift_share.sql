-- Shift-share components of every region x industry between two years, for a measure.
-- The size of a cell (_size) ranks the industries and regions the heatmap keeps (ui_matrix_top.sql wraps it).
-- grain: region_code, industry_code
select region_code, industry_code, change, national_share, industry_mix, competitive, net_shift,
       homothetic_competitive, allocation, note, suppressed, abs(coalesce(change, 0)) as _size
from mart_shift_share
where start_year = $start_year and end_year = $end_year and measure = $measure
  and region_level = $region_level and industry_level = $industry_level
