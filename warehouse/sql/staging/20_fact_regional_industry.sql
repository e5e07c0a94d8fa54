-- Regional-industry records in long form. A measure left empty in a newer vintage does not erase an older
-- value: the newest vintage that reports the measure wins (uploads may carry different subsets of measures).
-- With a single upload of the kind there is nothing to set aside and the build leaves the filter out.
-- newest_only: qualify row_number() over (partition by region_code, industry_code, year, measure order by seq desc, source_row desc) = 1
-- grain: region_code, industry_code, year, measure
insert into fact_regional_industry
with stg as (
    select * from stg_regional_industry
),
long as (
    unpivot stg
    on columns(* exclude (region_code, industry_code, year, source_row, upload_id, vintage, seq))
    into name measure value value
),
final as (
    select region_code, industry_code, year, measure, value, upload_id, vintage, source_row
    from long
    {newest_only}
)
select * from final
