-- Tables of the live build (counted exactly by warehouse.queries.table_counts).
-- grain: table_name
select table_name
from duckdb_tables()
where schema_name = 'main'
order by table_name
