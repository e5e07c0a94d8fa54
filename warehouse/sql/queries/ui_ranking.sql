-- Every cluster's score, rank and 90% rank interval in a year, with the year before for the trend.
-- grain: cluster_code
with clusters as (
    select * from dim_cluster
),
scores as (
    select * from mart_cluster_score where year = $year
),
previous as (
    select cluster_code, score as previous_score, rank as previous_rank
    from mart_cluster_score where year = $year - 1
),
intervals as (
    select cluster_code, median_rank, rank_low, rank_high, samples
    from mart_cluster_rank_interval where year = $year
),
zones as (
    select region_code, string_agg(group_code, ',' order by group_code) as zones
    from bridge_region_group group by region_code
),
final as (
    select c.code as cluster_code, c.name, c.name_en, c.tier, c.category, c.lead_region,
           r.name as lead_region_name, r.name_en as lead_region_name_en, z.zones,
           s.score, s.rank, s.n_ranked, i.median_rank, i.rank_low, i.rank_high, i.samples,
           s.output_value, s.employment, s.size_band, s.indicators_used, s.indicators_total,
           p.previous_score, p.previous_rank, s.score - p.previous_score as score_change,
           p.previous_rank - s.rank as rank_change, s.methodology_hash, s.note
    from clusters c
    left join scores s on s.cluster_code = c.code
    left join previous p on p.cluster_code = c.code
    left join intervals i on i.cluster_code = c.code
    left join dim_region r on r.code = c.lead_region
    left join zones z on z.region_code = c.lead_region
)
select * from final order by rank nulls last, cluster_code
