-- Every cluster category (a set of industries), with its parent and how many named clusters belong to it, in the
-- dictionary's order.
-- grain: code
with counts as (
    select category_code, count(*) as n_clusters from dim_cluster group by category_code
)
select g.code, g.name, g.name_en, g.parent_code, g.own_of, coalesce(n.n_clusters, 0) as n_clusters, g.ord
from dim_category g
left join counts n on n.category_code = g.code
order by g.ord
