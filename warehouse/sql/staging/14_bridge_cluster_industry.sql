-- Cluster -> industry map: the newest vintage of each (cluster, industry, valid_from).
-- grain: cluster_code, industry_code, valid_from
insert into bridge_cluster_industry
with stg as (
    select * from stg_cluster_industries
),
final as (
    select cluster_code, industry_code, coalesce(weight, 1.0) as weight, valid_from, valid_to, upload_id, vintage
    from stg
    qualify row_number() over (
        partition by cluster_code, industry_code, valid_from order by seq desc, source_row desc
    ) = 1
)
select * from final
