-- Years with cluster scores, newest first.
-- grain: year
select distinct year from mart_cluster_score order by year desc
