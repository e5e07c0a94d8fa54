-- One cluster's identity, score, rank with its 90% interval, peer group and change on the previous year.
-- grain: one row (parameters $code, $year)
with c as (
    select * from dim_cluster where code = $code
),
s as (
    select * from mart_cluster_score where cluster_code = $code and year = $year
),
i as (
    select * from mart_cluster_rank_interval where cluster_code = $code and year = $year
),
p as (
    select * from mart_cluster_peer where cluster_code = $code and year = $year
),
ch as (
    select * from mart_cluster_score_change where cluster_code = $code and year = $year
),
final as (
    select c.code as cluster_code, c.name, c.name_en, c.tier, c.category, c.category_code,
           g.name as category_name, g.name_en as category_name_en, m.member_regions, c.description, c.lead_region,
           r.name as lead_region_name, r.name_en as lead_region_name_en,
           c.upload_id as dictionary_upload_id, c.vintage as dictionary_vintage,
           s.year, s.score, s.rank, s.n_ranked, s.output_value, s.employment, s.size_band, s.indicators_used,
           s.indicators_total, s.methodology_hash, s.note,
           i.median_rank, i.rank_low, i.rank_high, i.samples,
           p.peer_group, p.group_size, p.group_mean_score, p.peers,
           ch.previous_year, ch.previous_score, ch.change as score_change
    from c
    left join s on true
    left join i on true
    left join p on true
    left join ch on true
    left join dim_region r on r.code = c.lead_region
    left join dim_category g on g.code = c.category_code
    left join (
        select b.cluster_code, string_agg(b.region_code, ';' order by r.ord) as member_regions
        from bridge_cluster_region b
        join dim_region r on r.code = b.region_code
        where b.role = 'member'
        group by b.cluster_code
    ) m on m.cluster_code = c.code
)
select * from final
