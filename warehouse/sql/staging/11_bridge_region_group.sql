-- Region groupings from the regions' ';'-separated groups (newest vintage of each region).
-- grain: region_code, group_code
insert into bridge_region_group
with stg as (
    select code, groups from stg_regions
    where groups is not null
    qualify row_number() over (partition by code order by seq desc, source_row desc) = 1
),
parts as (
    select code as region_code, trim(unnest(string_split(groups, ';'))) as group_code from stg
),
final as (
    select distinct region_code, group_code from parts where group_code <> ''
)
select * from final
