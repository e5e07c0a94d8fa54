-- Each cluster's location quotients in its lead region, as the live build computed them: an input of the score,
-- read to score the same data with another methodology in memory (the methodology preview).
-- grain: year, measure, region_level, industry_level, cluster_code
with clusters as (
    select code as cluster_code, lead_region from dim_cluster
),
final as (
    select l.cluster_code, l.region_code, l.year, l.measure, l.region_level, l.industry_level, l.lq
    from mart_cluster_lq l
    join clusters c on c.cluster_code = l.cluster_code and c.lead_region = l.region_code
)
select * from final
