-- Firm records of one year ($year), one row per measure, with the level of the firm's region. The firm is
-- numbered (firm_no) rather than named: each firm has one record a year (audit 01), so within a measure its
-- row is the unit the firm indices need, and the ids (millions of strings in a census) never leave the warehouse.
-- grain: firm_no, measure (one year)
with firms as (
    select row_number() over () as firm_no, f.year, f.region_code, r.level as region_level, f.industry_code,
           f.cluster_code, f.employment, f.output_value
    from fact_firm f
    join dim_region r on r.code = f.region_code
    where f.year = $year
),
final as (
    unpivot firms
    on employment, output_value
    into name measure value value
)
select * from final
