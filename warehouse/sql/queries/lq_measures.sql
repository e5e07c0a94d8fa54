-- Measures available for cluster location quotients.
-- grain: measure
select distinct measure from mart_cluster_lq order by measure
