-- Location quotients of every region x industry of one level in a year, for a measure.
-- The heatmap shows at most $max_columns industries and $max_rows regions: those with the largest totals
-- (a census has 2,850 regions x 1,380 industries, which no chart can draw); `columns_total` and `rows_total` say
-- how many there are, for the page to say what it left out.
-- grain: region_code, industry_code
with m as (
    select region_code, industry_code, value, lq, lq_additive, specialised, reference, note
    from mart_location_quotient
    where year = $year and measure = $measure and region_level = $region_level and industry_level = $industry_level
),
cols as (
    select industry_code, sum(coalesce(value, 0)) as size from m group by industry_code
),
rws as (
    select region_code, sum(coalesce(value, 0)) as size from m group by region_code
),
shown_cols as (select industry_code from cols order by size desc nulls last, industry_code limit $max_columns),
shown_rows as (select region_code from rws order by size desc nulls last, region_code limit $max_rows)
select m.*, (select count(*) from cols) as columns_total, (select count(*) from rws) as rows_total
from m
semi join shown_cols using (industry_code)
semi join shown_rows using (region_code)
order by region_code, industry_code
