-- Cluster location quotients of every region x cluster in a year, for a measure.
-- The size of a cell (_size) ranks the industries and regions the heatmap keeps (ui_matrix_top.sql wraps it).
-- grain: region_code, industry_code
select region_code, cluster_code as industry_code, value, lq, lq_additive, specialised, reference, note, coalesce(value, 0) as _size
from mart_cluster_lq
where year = $year and measure = $measure and region_level = $region_level and industry_level = $industry_level
