-- One cluster's score, rank and size over the years.
-- grain: year
select year, score, rank, n_ranked, output_value, size_band
from mart_cluster_score
where cluster_code = $code
order by year
