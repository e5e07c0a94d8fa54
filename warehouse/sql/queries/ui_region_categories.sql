-- One region's cluster categories in a year (the U.S. Cluster Mapping layer): the category's employment here, its
-- LQ and change, strength and portfolio quadrant (against the previous year), and how many named clusters of the
-- category are located here.
-- grain: category_code
with strength as (
    select * from mart_category_strength
    where region_code = $region and year = $year and region_level = $region_level
      and industry_level = $industry_level
),
located as (
    select c.category_code, count(*) as clusters_here
    from bridge_cluster_region b
    join dim_cluster c on c.code = b.cluster_code
    where b.region_code = $region
    group by c.category_code
),
final as (
    select s.category_code, g.name, g.name_en, g.parent_code,
           s.employment, s.establishments, s.lq, s.lq_percentile, s.employment_percentile, s.qualifying, s.strong,
           s.lq_change, s.employment_change,
           s.employment_change / nullif(s.employment - s.employment_change, 0) as employment_growth,
           s.quadrant, s.quadrant_note, s.note, s.suppressed, coalesce(l.clusters_here, 0) as clusters_here
    from strength s
    left join dim_category g on g.code = s.category_code
    left join located l on l.category_code = s.category_code
)
select * from final order by strong desc, lq desc nulls last, category_code
