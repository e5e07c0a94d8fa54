-- The named clusters located in one region (as lead or member region) in a year: the cluster's tier, category, its
-- category's employment, LQ and strength in this region, and the cluster's own score and rank where it has one.
-- A cluster whose lead and member regions exclude this region is never listed.
-- grain: cluster_code
with here as (
    select b.cluster_code, b.role from bridge_cluster_region b where b.region_code = $region
),
location as (
    select * from mart_cluster_location
    where region_code = $region and year = $year and region_level = $region_level
      and industry_level = $industry_level
),
scores as (
    select cluster_code, score, rank, n_ranked from mart_cluster_score where year = $year
),
final as (
    select h.cluster_code, c.name, c.name_en, c.tier, c.category, c.category_code, g.name as category_name,
           g.name_en as category_name_en, h.role, c.lead_region, l.employment as category_employment,
           l.lq as category_lq, l.strong as category_strong, l.suppressed, s.score, s.rank, s.n_ranked
    from here h
    join dim_cluster c on c.code = h.cluster_code
    left join dim_category g on g.code = c.category_code
    left join location l on l.cluster_code = h.cluster_code
    left join scores s on s.cluster_code = h.cluster_code
)
select * from final order by role, rank nulls last, cluster_code
