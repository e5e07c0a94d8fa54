-- Measures available for cluster location quotients (those of the cluster concentration mart, which the build
-- computes from the same roll-up: a few thousand rows rather than every region x cluster).
-- grain: measure
select distinct measure from mart_cluster_concentration order by measure
