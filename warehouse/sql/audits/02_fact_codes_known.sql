-- Every code in the facts is in its dimension.
-- grain: offending code
with region_refs as (
    select distinct region_code as code, 'fact_regional_industry.region_code' as used_in from fact_regional_industry
    union all select distinct region_code, 'fact_cluster_indicator.region_code' from fact_cluster_indicator
    where region_code is not null
    union all select distinct region_code, 'fact_firm.region_code' from fact_firm
    union all select distinct lead_region, 'dim_cluster.lead_region' from dim_cluster
    union all select distinct region_code, 'bridge_cluster_region.region_code' from bridge_cluster_region
),
industry_refs as (
    select distinct industry_code as code, 'fact_regional_industry.industry_code' as used_in
    from fact_regional_industry
    union all select distinct industry_code, 'bridge_category_industry.industry_code' from bridge_category_industry
    union all select distinct industry_code, 'fact_firm.industry_code' from fact_firm
),
cluster_refs as (
    select distinct cluster_code as code, 'fact_cluster_indicator.cluster_code' as used_in
    from fact_cluster_indicator
    union all select distinct cluster_code, 'fact_firm.cluster_code' from fact_firm where cluster_code is not null
),
category_refs as (
    select distinct category_code as code, 'bridge_category_industry.category_code' as used_in
    from bridge_category_industry
    union all select distinct category_code, 'dim_cluster.category_code' from dim_cluster
),
final as (
    select used_in, code from region_refs where code not in (select code from dim_region)
    union all select used_in, code from industry_refs where code not in (select code from dim_industry)
    union all select used_in, code from cluster_refs where code not in (select code from dim_cluster)
    union all select used_in, code from category_refs where code not in (select code from dim_category)
)
select * from final
