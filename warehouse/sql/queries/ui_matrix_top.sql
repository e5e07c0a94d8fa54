-- The heatmap of an index family: the cells of its query (one of ui_matrix_*.sql, each with a _size per cell), for
-- the $max_columns industries and $max_rows regions with the largest total size (a census has 2,850 regions x
-- 1,380 industries, which no chart can draw). `columns_total` and `rows_total` say how many there are, for the
-- page to say what it left out.
-- grain: region_code, industry_code
with m as (
    {matrix}
),
cols as (select industry_code, sum(_size) as size from m group by industry_code),
rws as (select region_code, sum(_size) as size from m group by region_code),
shown_cols as (select industry_code from cols order by size desc nulls last, industry_code limit $max_columns),
shown_rows as (select region_code from rws order by size desc nulls last, region_code limit $max_rows)
select m.* exclude (_size), (select count(*) from cols) as columns_total, (select count(*) from rws) as rows_total
from m
semi join shown_cols using (industry_code)
semi join shown_rows using (region_code)
order by region_code, industry_code  -- the page orders rows and columns by its dictionaries (ui/views/indices.py)
