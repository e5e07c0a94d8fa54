-- One cluster's location quotient in every region of the lowest region level (cities), for a year and measure.
-- grain: region_code
with lq as (
    select * from mart_cluster_lq where cluster_code = $code and year = $year and measure = $measure
),
final as (
    select lq.region_code, r.name as region_name, r.name_en as region_name_en, lq.region_level, lq.value,
           lq.region_total, lq.lq, lq.specialised, lq.note
    from lq
    join dim_region r on r.code = lq.region_code
)
select * from final order by lq desc nulls last, region_code
