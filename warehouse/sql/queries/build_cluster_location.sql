-- Where each named cluster is, year by year: its lead and member regions, each with the cluster's category figures
-- there (employment, LQ, U.S. Cluster Mapping strength and quadrant; empty where the category has no employment
-- record in that region), at every year and level the strength mart holds. A region that is neither the lead nor
-- a member region of a cluster never appears with it.
-- grain: cluster_code, region_code, year, region_level, industry_level
with located as (
    select b.cluster_code, b.region_code, b.role, c.category_code, r.level as region_level
    from bridge_cluster_region b
    join dim_cluster c on c.code = b.cluster_code
    join dim_region r on r.code = b.region_code
),
levels as (
    select distinct year, region_level, industry_level from mart_category_strength
),
final as (
    select l.cluster_code, l.region_code, l.role, l.category_code, v.year, v.region_level, v.industry_level,
           s.employment, s.lq, s.strong, s.quadrant
    from located l
    join levels v on v.region_level = l.region_level
    left join mart_category_strength s
        on s.category_code = l.category_code and s.region_code = l.region_code and s.year = v.year
       and s.region_level = v.region_level and s.industry_level = v.industry_level
)
select * from final
