-- Cluster categories: the newest vintage of each uploaded code, and, for each named cluster uploaded without a
-- category (the layout before categories), a category of its own with the cluster's code and name.
-- grain: code
insert into dim_category
with stg as (
    select * from stg_cluster_categories
),
first_seen as (
    -- the landing order of the file that first held the code, then its row there (as text: no overflow)
    select code, min(lpad(seq::varchar, 12, '0') || lpad(source_row::varchar, 12, '0')) as first_seen
    from stg group by code
),
uploaded as (
    select s.code, s.name, s.name_en, s.parent_code, null as own_of, s.upload_id, s.vintage, f.first_seen
    from stg s
    join first_seen f using (code)
    qualify row_number() over (partition by s.code order by s.seq desc, s.source_row desc) = 1
),
clusters as (
    select code, name, name_en, category_code, upload_id, vintage,
           lpad(seq::varchar, 12, '0') || lpad(source_row::varchar, 12, '0') as first_seen
    from stg_clusters
    qualify row_number() over (partition by code order by seq desc, source_row desc) = 1
),
own as (
    select code, name, name_en, null as parent_code, code as own_of, upload_id, vintage,
           '~' || first_seen as first_seen  -- after every uploaded category, in the clusters' order
    from clusters
    where category_code is null and code not in (select code from uploaded)
),
every as (
    select * from uploaded
    union all
    select * from own
),
final as (
    select code, name, name_en, parent_code, own_of, upload_id, vintage,
           row_number() over (order by first_seen, code) as ord
    from every
)
select * from final
