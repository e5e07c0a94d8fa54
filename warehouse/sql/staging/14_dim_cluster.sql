-- Named clusters: the newest vintage of each code; a cluster without a category is its own category.
-- grain: code
insert into dim_cluster
with stg as (
    select * from stg_clusters
),
final as (
    select code, name, name_en, tier, category, coalesce(category_code, code) as category_code, lead_region,
           description, upload_id, vintage
    from stg
    qualify row_number() over (partition by code order by seq desc, source_row desc) = 1
)
select * from final
