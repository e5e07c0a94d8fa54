-- One cluster's pillar scores over the years.
-- grain: year, code
select year, code, name, name_zh, score
from mart_cluster_aggregate
where cluster_code = $code and level <> 'indicator'
order by year, code
