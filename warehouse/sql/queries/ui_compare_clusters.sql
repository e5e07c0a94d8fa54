-- Clusters side by side in a year: their score, rank, size and every pillar score.
-- grain: cluster_code, code
with picked as (
    select unnest($codes) as cluster_code
),
agg as (
    select a.* from mart_cluster_aggregate a join picked using (cluster_code) where a.year = $year
),
final as (
    select a.cluster_code, c.name as cluster_name, c.name_en as cluster_name_en, a.level, a.code, a.name, a.name_zh,
           a.score, a.rank, a.n_ranked, s.output_value, s.employment, s.size_band, c.tier
    from agg a
    left join dim_cluster c on c.code = a.cluster_code
    left join mart_cluster_score s on s.cluster_code = a.cluster_code and s.year = a.year
)
select * from final order by cluster_code, level desc, code
