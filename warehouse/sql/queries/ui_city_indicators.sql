-- Every region of one level in a year: its total of a measure, specialisation and diversity indices, cluster
-- strength, and the same total a year before (for the change).
-- grain: region_code
with profile as (
    select * from mart_region_profile
    where year = $year and measure = $measure and region_level = $region_level and industry_level = $industry_level
),
before as (
    select region_code, value_total as value_total_previous
    from mart_region_profile
    where year = $year - 1 and measure = $measure and region_level = $region_level
      and industry_level = $industry_level
),
strength as (
    select region_code, cluster_strength, n_strong, n_categories, suppressed as strength_suppressed
    from mart_region_category_strength
    where year = $year and region_level = $region_level and industry_level = $industry_level
),
-- the province's total: the regions' sum, or, in a release that withholds a region's total, the grand total the
-- release publishes (a sum of the regions shown would be a different figure under the same label)
grand as (
    select max(total) as total from mart_location_quotient
    where year = $year and measure = $measure and region_level = $region_level and industry_level = $industry_level
),
zones as (
    select region_code, string_agg(group_code, ',' order by group_code) as zones
    from bridge_region_group group by region_code
),
final as (
    select p.region_code, r.name, r.name_en, z.zones, p.value_total, b.value_total_previous,
           p.value_total / nullif(case when count(p.value_total) over () = count(*) over ()
                                       then sum(p.value_total) over () else (select total from grand) end, 0)
               as share,
           p.hhi, p.hhi_normalised, p.equivalent_number, p.entropy, p.krugman, p.specialisation_coefficient,
           p.hachman, p.diversity, p.duranton_puga, p.lq_gini, p.n_industries, p.reference, p.note,
           s.cluster_strength, s.n_strong, s.n_categories, p.suppressed, s.strength_suppressed
    from profile p
    left join before b using (region_code)
    left join strength s using (region_code)
    left join zones z using (region_code)
    left join dim_region r on r.code = p.region_code
)
select f.* from final f
left join dim_region r on r.code = f.region_code
order by r.ord, f.region_code  -- the dictionary's order
