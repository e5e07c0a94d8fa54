-- Category location quotients of every region x cluster category in a year, for a measure.
-- The size of a cell (_size) ranks the categories and regions the heatmap keeps (ui_matrix_top.sql wraps it).
-- grain: region_code, industry_code
select region_code, category_code as industry_code, value, lq, lq_additive, specialised, reference, note, suppressed,
       coalesce(value, 0) as _size
from mart_category_lq
where year = $year and measure = $measure and region_level = $region_level and industry_level = $industry_level
