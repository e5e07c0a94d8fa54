-- Industries: the newest vintage of each code.
-- grain: code
insert into dim_industry
with stg as (
    select * from stg_industries
),
final as (
    select code, name, name_en, parent_code, level, classification, upload_id, vintage
    from stg
    qualify row_number() over (partition by code order by seq desc, source_row desc) = 1
)
select * from final
