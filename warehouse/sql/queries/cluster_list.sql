-- Every cluster with its score, rank and size in a year.
-- grain: cluster_code
with clusters as (
    select * from dim_cluster
),
scores as (
    select * from mart_cluster_score where year = $year
),
final as (
    select c.code as cluster_code, c.name, c.name_en, c.tier, c.category, c.lead_region,
           r.name as lead_region_name, r.name_en as lead_region_name_en,
           s.score, s.rank, s.n_ranked, s.output_value, s.size_band, s.indicators_used, s.indicators_total,
           s.note
    from clusters c
    left join scores s on s.cluster_code = c.code
    left join dim_region r on r.code = c.lead_region
)
select * from final
order by rank nulls last, cluster_code
