-- One cluster's strengths and weaknesses in a year: indicators ranked far above or below its overall rank.
-- grain: indicator
select kind, indicator, indicator_name, indicator_name_zh, pillar, indicator_rank, indicator_n, rank, n_ranked, gap
from mart_cluster_strengths_weaknesses
where cluster_code = $code and year = $year
order by kind, abs(gap) desc, indicator
