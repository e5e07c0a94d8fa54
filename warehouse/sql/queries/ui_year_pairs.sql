-- The year pairs with growth and shift-share results, the longest last.
-- grain: start_year, end_year
select distinct start_year, end_year from mart_shift_share order by end_year - start_year, end_year desc
