-- Data-quality notes of the build: why values are undefined, clusters not scored, partitions made; one row per
-- table and note, with how many rows carry it.
-- grain: table_name, note
with notes as (
    select 'mart_cluster_score' as table_name, note from mart_cluster_score where note is not null
    union all
    select 'mart_region_profile', note from mart_region_profile where note is not null
    union all
    select 'mart_location_quotient', note from mart_location_quotient where note is not null
    union all
    select 'mart_category_lq', note from mart_category_lq where note is not null
    union all
    select 'mart_category_strength', note from mart_category_strength where note is not null
    union all
    select 'mart_balance', partition_note from mart_balance where partition_note is not null
    union all
    select 'mart_shift_share', note from mart_shift_share where note is not null
    union all
    select 'mart_cluster_firm_concentration', note from mart_cluster_firm_concentration where note is not null
),
final as (
    select table_name, note, count(*) as rows from notes group by all
)
select * from final order by table_name, rows desc, note
