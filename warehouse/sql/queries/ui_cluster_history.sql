-- One cluster's score and rank under every methodology version this data directory has used.
-- grain: methodology_hash, year
select methodology_hash, methodology_name, year, score, rank, n_ranked, is_current
from mart_cluster_score_history
where cluster_code = $code
order by is_current desc, methodology_hash, year
