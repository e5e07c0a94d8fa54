-- Development zones (region groups) and their member regions.
-- grain: group_code, region_code
with groups as (
    select * from bridge_region_group
),
final as (
    select g.group_code, z.name as group_name, z.name_en as group_name_en,
           g.region_code, r.name as region_name, r.name_en as region_name_en
    from groups g
    left join dim_region z on z.code = g.group_code
    left join dim_region r on r.code = g.region_code
)
select f.* from final f
left join dim_region z on z.code = f.group_code
left join dim_region r on r.code = f.region_code
order by z.ord, r.ord  -- the dictionary's order
