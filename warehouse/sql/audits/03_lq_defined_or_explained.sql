-- A location quotient is a non-negative number, or null with a note saying why.
-- grain: region_code, industry_code, year, measure (offending rows only)
select 'mart_location_quotient' as mart, region_code, industry_code as code, year, measure, lq, note
from mart_location_quotient
where (lq is null and note is null) or lq < 0 or isnan(lq) or isinf(lq)
union all
select 'mart_category_lq', region_code, category_code, year, measure, lq, note
from mart_category_lq
where (lq is null and note is null) or lq < 0 or isnan(lq) or isinf(lq)
