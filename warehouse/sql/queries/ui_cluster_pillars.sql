-- One cluster's pillar and index scores in a year, against the median of all clusters and the mean of its peer
-- group (clusters with a similar pillar profile, mart_cluster_peer).
-- grain: code
with agg as (
    select * from mart_cluster_aggregate where year = $year
),
peer as (
    select cluster_code, peer_group from mart_cluster_peer where year = $year
),
mine as (
    select peer_group from peer where cluster_code = $code
),
stats as (
    select a.code, median(a.score) as median_score,
           avg(a.score) filter (where pe.peer_group = (select peer_group from mine)) as peer_mean
    from agg a
    left join peer pe on pe.cluster_code = a.cluster_code
    group by a.code
),
final as (
    select a.level, a.code, a.name, a.name_zh, a.parent, a.score, a.rank, a.n_ranked, a.weight, a.coverage,
           st.median_score, st.peer_mean
    from agg a
    join stats st on st.code = a.code
    where a.cluster_code = $code
)
select * from final order by level desc, code
