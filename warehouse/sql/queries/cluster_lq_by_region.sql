-- The location quotient of one named cluster's category in every region of a year and measure, with the regions
-- the cluster itself is in marked (role: lead or member; empty elsewhere, where the category is measured but the
-- cluster is not located).
-- grain: region_code
with cluster as (
    select code, category_code from dim_cluster where code = $code
),
lq as (
    select l.* from mart_category_lq l
    join cluster c on c.category_code = l.category_code
    where l.year = $year and l.measure = $measure
),
final as (
    select lq.region_code, r.name as region_name, r.name_en as region_name_en, lq.region_level, lq.category_code,
           lq.value, lq.region_total, lq.lq, lq.specialised, lq.note, lq.suppressed, b.role
    from lq
    join dim_region r on r.code = lq.region_code
    left join bridge_cluster_region b on b.cluster_code = $code and b.region_code = lq.region_code
)
select * from final order by lq desc nulls last, region_code
