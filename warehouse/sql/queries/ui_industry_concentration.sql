-- Geographic concentration of every industry of one level across regions, in a year, for a measure.
-- grain: industry_code
with conc as (
    select * from mart_industry_concentration
    where year = $year and measure = $measure and region_level = $region_level and industry_level = $industry_level
),
final as (
    select c.industry_code, i.name as industry_name, i.name_en as industry_name_en, c.value_total, c.hhi,
           c.hhi_normalised, c.equivalent_number, c.cr4, c.krugman, c.locational_gini, c.lq_gini, c.ubiquity, c.note
    from conc c
    left join dim_industry i on i.code = c.industry_code
)
select f.* from final f
left join dim_industry i on i.code = f.industry_code
order by i.ord, f.industry_code  -- the dictionary's order
