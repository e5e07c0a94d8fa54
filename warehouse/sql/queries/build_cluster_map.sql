-- The cluster -> industry map in force.
-- grain: cluster_code, industry_code, valid_from
select cluster_code, industry_code, weight, valid_from, valid_to from bridge_cluster_industry
