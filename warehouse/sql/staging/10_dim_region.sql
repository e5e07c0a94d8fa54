-- Regions: the newest vintage of each code, in the dictionary's own order (ord: where the code first landed).
-- grain: code
insert into dim_region
with stg as (
    select * from stg_regions
),
first_seen as (
    -- the landing order of the file that first held the code, then its row there (as text: no overflow)
    select code, min(lpad(seq::varchar, 12, '0') || lpad(source_row::varchar, 12, '0')) as first_seen
    from stg group by code
),
newest as (
    select code, name, name_en, parent_code, level, upload_id, vintage, lon, lat
    from stg
    qualify row_number() over (partition by code order by seq desc, source_row desc) = 1
),
final as (
    select n.code, n.name, n.name_en, n.parent_code, n.level, n.upload_id, n.vintage,
           row_number() over (order by f.first_seen, n.code) as ord, n.lon, n.lat
    from newest n
    join first_seen f using (code)
)
select * from final
