-- Regional-industry facts with the levels that keep totals honest: indices compare regions of one level and
-- industries of one level (a province row or a section row never adds to its cities or divisions).
-- grain: region_code, industry_code, year, measure
with facts as (
    select * from fact_regional_industry
),
final as (
    select facts.year, facts.measure, r.level as region_level, i.level as industry_level,
           facts.region_code, facts.industry_code, facts.value
    from facts
    join dim_region r on r.code = facts.region_code
    join dim_industry i on i.code = facts.industry_code
)
select * from final
