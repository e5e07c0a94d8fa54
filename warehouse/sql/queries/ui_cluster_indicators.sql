-- Every indicator behind one cluster's score in a year: raw value, unit, normalised score, median, percentile
-- among the clusters reporting it, direction, and any imputation or outlier treatment applied to it.
-- grain: indicator
with ind as (
    select * from mart_cluster_indicator where year = $year
),
ranked as (
    select *,
           median(normalised) over (partition by indicator) as median_normalised,
           case when normalised is not null
                then 100 * percent_rank() over (partition by indicator, normalised is null order by normalised)
           end as percentile
    from ind
),
treated as (
    select indicator, value as treated_value, treatment
    from mart_indicator_treatment where cluster_code = $code and year = $year
),
final as (
    select r.indicator, r.indicator_name, r.indicator_name_zh, r.pillar, r.raw_value, r.unit, r.normalised,
           r.weight, r.direction, r.median_normalised, r.percentile, t.treated_value, t.treatment
    from ranked r
    left join treated t on t.indicator = r.indicator
    where r.cluster_code = $code
)
select * from final order by pillar, indicator
