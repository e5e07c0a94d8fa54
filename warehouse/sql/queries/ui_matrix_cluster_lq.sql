-- Cluster location quotients of every region x cluster in a year, for a measure.
-- grain: region_code, cluster_code
select region_code, cluster_code as industry_code, value, lq, lq_additive, specialised, reference, note
from mart_cluster_lq
where year = $year and measure = $measure and region_level = $region_level and industry_level = $industry_level
order by region_code, cluster_code
