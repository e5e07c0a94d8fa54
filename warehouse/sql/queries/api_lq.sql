-- The location quotients of one measure, year and pair of levels for the open-data API: every region x industry
-- cell, optionally filtered to some regions and industries, in code order, one page at a time. A cell a release
-- withheld has null figures and suppressed = true (never a number).
-- grain: region_code, industry_code
with cells as (
    select region_code, industry_code, value, region_total, industry_total, total, lq, specialised, note,
           coalesce(suppressed, false) as suppressed
    from mart_location_quotient
    where year = $year and measure = $measure and region_level = $region_level
      and industry_level = $industry_level
      and (len($regions) = 0 or list_contains($regions, region_code))
      and (len($industries) = 0 or list_contains($industries, industry_code))
),
final as (
    select *, count(*) over () as total_rows from cells
)
select * from final order by region_code, industry_code limit $limit offset $offset
