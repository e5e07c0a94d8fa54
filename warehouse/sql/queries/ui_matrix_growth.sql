-- Growth of every region x industry between two years, for a measure.
-- The size of a cell (_size) ranks the industries and regions the heatmap keeps (ui_matrix_top.sql wraps it).
-- grain: region_code, industry_code
select region_code, industry_code, value_start, value_end, change, growth_rate, cagr, note, suppressed,
       coalesce(value_end, 0) as _size
from mart_growth
where start_year = $start_year and end_year = $end_year and measure = $measure
  and region_level = $region_level and industry_level = $industry_level
