-- Industries: the newest vintage of each code, in the dictionary's own order (ord: where the code first landed).
-- grain: code
insert into dim_industry
with stg as (
    select * from stg_industries
),
first_seen as (
    -- the landing order of the file that first held the code, then its row there (as text: no overflow)
    select code, min(lpad(seq::varchar, 12, '0') || lpad(source_row::varchar, 12, '0')) as first_seen
    from stg group by code
),
newest as (
    select code, name, name_en, parent_code, level, classification, upload_id, vintage
    from stg
    qualify row_number() over (partition by code order by seq desc, source_row desc) = 1
),
final as (
    select n.*, row_number() over (order by f.first_seen, n.code) as ord
    from newest n
    join first_seen f using (code)
)
select * from final
