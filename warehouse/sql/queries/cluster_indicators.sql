-- The indicators behind one cluster's score in a year, with the median over all clusters and the percentile.
-- grain: indicator
with ind as (
    select * from mart_cluster_indicator where year = $year
),
ranked as (
    select *,
           median(raw_value) over (partition by indicator) as median_raw,
           median(normalised) over (partition by indicator) as median_normalised,
           case when normalised is not null
                then 100 * percent_rank() over (partition by indicator, normalised is null order by normalised)
           end as percentile
    from ind
),
final as (
    select indicator, indicator_name, indicator_name_zh, pillar, raw_value, unit, normalised, weight, direction,
           median_raw, median_normalised, percentile
    from ranked
    where cluster_code = $code
)
select * from final order by pillar, indicator
