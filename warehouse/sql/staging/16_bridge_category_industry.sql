-- Category -> industry map: the newest vintage of each (category, industry, valid_from). Rows of the layout before
-- categories, keyed by a named cluster, are taken for that cluster's category (its own when it has none).
-- grain: category_code, industry_code, valid_from
insert into bridge_category_industry
with stg as (
    select * from stg_cluster_industries
),
resolved as (
    select coalesce(stg.category_code, c.category_code, stg.cluster_code) as category_code, stg.industry_code,
           stg.weight, stg.valid_from, stg.valid_to, stg.upload_id, stg.vintage, stg.seq, stg.source_row
    from stg
    left join dim_cluster c on stg.category_code is null and c.code = stg.cluster_code
),
final as (
    select category_code, industry_code, coalesce(weight, 1.0) as weight, valid_from, valid_to, upload_id, vintage
    from resolved
    qualify row_number() over (
        partition by category_code, industry_code, valid_from order by seq desc, source_row desc
    ) = 1
)
select * from final
