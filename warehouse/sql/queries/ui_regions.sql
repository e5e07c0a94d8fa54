-- Every region with its level and the development zones (region groups) it belongs to, in the dictionary's
-- order (GB/T 2260 order as uploaded).
-- grain: code
with regions as (
    select * from dim_region
),
zones as (
    select region_code, string_agg(group_code, ',' order by group_code) as zones
    from bridge_region_group
    group by region_code
),
final as (
    select r.code, r.name, r.name_en, r.parent_code, r.level, z.zones, r.ord, r.lon, r.lat
    from regions r
    left join zones z on z.region_code = r.code
)
select * from final order by ord
