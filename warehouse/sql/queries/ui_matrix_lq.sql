-- Location quotients of every region x industry of one level in a year, for a measure.
-- The size of a cell (_size) ranks the industries and regions the heatmap keeps (ui_matrix_top.sql wraps it).
-- grain: region_code, industry_code
select region_code, industry_code, value, lq, lq_additive, specialised, reference, note, suppressed,
       coalesce(value, 0) as _size
from mart_location_quotient
where year = $year and measure = $measure and region_level = $region_level and industry_level = $industry_level
