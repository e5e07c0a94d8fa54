-- Composite scores lie in [0, 100]; ranks run from 1 to the number of ranked clusters.
-- grain: cluster_code, year (offending rows only)
select cluster_code, year, score, rank, n_ranked
from mart_cluster_score
where score is not null and (score < 0 or score > 100 or rank < 1 or rank > n_ranked)
