-- The regional-industry facts of one year ($year), with the levels that keep totals honest: indices compare
-- regions of one level and industries of one level (a province row never adds to its cities, a section never to
-- its divisions). The build reads one year at a time.
-- grain: region_code, industry_code, measure (one year)
with facts as (
    select * from fact_regional_industry where year = $year
),
final as (
    select facts.year, facts.measure, r.level as region_level, i.level as industry_level,
           facts.region_code, facts.industry_code, facts.value
    from facts
    join dim_region r on r.code = facts.region_code
    join dim_industry i on i.code = facts.industry_code
)
select * from final
