-- One region's clusters in a year: employment, LQ and its change, U.S. Cluster Mapping strength and portfolio
-- quadrant (against the previous year).
-- grain: cluster_code
with strength as (
    select * from mart_cluster_strength
    where region_code = $region and year = $year and region_level = $region_level
      and industry_level = $industry_level
),
final as (
    select s.cluster_code, c.name, c.name_en, c.tier, c.category, c.lead_region = s.region_code as lead_here,
           s.employment, s.establishments, s.lq, s.lq_percentile, s.employment_percentile, s.qualifying, s.strong,
           s.lq_change, s.employment_change,
           s.employment_change / nullif(s.employment - s.employment_change, 0) as employment_growth,
           s.quadrant, s.quadrant_note, s.note
    from strength s
    left join dim_cluster c on c.code = s.cluster_code
)
select * from final order by strong desc, lq desc nulls last, cluster_code
