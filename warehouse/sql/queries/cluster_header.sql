-- One cluster's identity and its score in a year.
-- grain: one row
with c as (
    select * from dim_cluster where code = $code
),
s as (
    select * from mart_cluster_score where cluster_code = $code and year = $year
),
final as (
    select c.code as cluster_code, c.name, c.name_en, c.tier, c.category, c.description, c.lead_region,
           r.name as lead_region_name, r.name_en as lead_region_name_en,
           s.year, s.score, s.rank, s.n_ranked, s.output_value, s.size_band, s.indicators_used,
           s.indicators_total, s.methodology_hash, s.note
    from c
    left join s on true
    left join dim_region r on r.code = c.lead_region
)
select * from final
