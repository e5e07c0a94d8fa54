-- Regions: the newest vintage of each code.
-- grain: code
insert into dim_region
with stg as (
    select * from stg_regions
),
final as (
    select code, name, name_en, parent_code, level, upload_id, vintage
    from stg
    qualify row_number() over (partition by code order by seq desc, source_row desc) = 1
)
select * from final
