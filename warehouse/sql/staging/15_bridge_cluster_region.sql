-- The regions of each named cluster: its lead region and the ';'-separated member regions (newest vintage).
-- grain: cluster_code, region_code
insert into bridge_cluster_region
with stg as (
    select code, lead_region, member_regions from stg_clusters
    qualify row_number() over (partition by code order by seq desc, source_row desc) = 1
),
members as (
    select code as cluster_code, trim(unnest(string_split(member_regions, ';'))) as region_code from stg
    where member_regions is not null
),
final as (
    select code as cluster_code, lead_region as region_code, 'lead' as role from stg
    union all
    select distinct m.cluster_code, m.region_code, 'member' as role
    from members m
    join stg s on s.code = m.cluster_code
    where m.region_code <> '' and m.region_code <> s.lead_region
)
select * from final
