-- Clusters: the newest vintage of each code.
-- grain: code
insert into dim_cluster
with stg as (
    select * from stg_clusters
),
final as (
    select code, name, name_en, tier, category, lead_region, description, upload_id, vintage
    from stg
    qualify row_number() over (partition by code order by seq desc, source_row desc) = 1
)
select * from final
