-- One region's shift-share components per industry between two years (Dunn; Esteban-Marquillas split).
-- grain: industry_code
with ss as (
    select * from mart_shift_share
    where region_code = $region and measure = $measure and start_year = $start_year and end_year = $end_year
      and industry_level = $industry_level
),
final as (
    select ss.industry_code, i.name as industry_name, i.name_en as industry_name_en, ss.value_start, ss.value_end,
           ss.change, ss.national_share, ss.industry_mix, ss.competitive, ss.net_shift, ss.homothetic_competitive,
           ss.allocation, ss.reference_growth, ss.industry_growth, ss.method, ss.note, ss.suppressed
    from ss
    left join dim_industry i on i.code = ss.industry_code
)
select * from final order by abs(change) desc nulls last, industry_code
