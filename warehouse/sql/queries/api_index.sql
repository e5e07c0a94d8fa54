-- One page of an index table of the open-data API: the rows of one family's mart (pipeline/api/indices.py) that
-- pass its filters, in key order, with the number of such rows. The mart, the conditions and the order are filled
-- in from the family's definition (fixed names, never the request's text); every value is a bound parameter. A
-- cell a release withheld keeps its row, with null figures and suppressed = true.
-- grain: the family's keys
with cells as (
    select * from {table} where {conditions}
),
final as (
    select *, count(*) over () as total_rows from cells
)
select * from final order by {order} limit $limit offset $offset
