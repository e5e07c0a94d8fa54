-- One region's location quotient in every industry of one level, for a year and measure.
-- grain: industry_code
with lq as (
    select * from mart_location_quotient
    where region_code = $region and year = $year and measure = $measure and industry_level = $industry_level
),
final as (
    select lq.industry_code, i.name as industry_name, i.name_en as industry_name_en, lq.value, lq.region_total,
           lq.industry_total, lq.value / nullif(lq.region_total, 0) as share, lq.lq, lq.lq_additive,
           lq.specialised, lq.threshold, lq.reference, lq.note, lq.suppressed
    from lq
    left join dim_industry i on i.code = lq.industry_code
)
select * from final order by lq desc nulls last, industry_code
