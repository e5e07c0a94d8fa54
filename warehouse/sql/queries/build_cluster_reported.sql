-- Reported cluster indicators for the whole cluster: the whole-cluster row where one was reported, else the sum of
-- the cluster's regional parts.
-- grain: cluster_code, year, indicator
with facts as (
    select * from fact_cluster_indicator
),
whole as (
    select cluster_code, year, indicator, value from facts where region_code is null
),
parts as (
    select cluster_code, year, indicator, sum(value) as value from facts where region_code is not null
    group by all
),
final as (
    select coalesce(w.cluster_code, p.cluster_code) as cluster_code, coalesce(w.year, p.year) as year,
           coalesce(w.indicator, p.indicator) as indicator, coalesce(w.value, p.value) as value
    from whole w
    full join parts p on w.cluster_code = p.cluster_code and w.year = p.year and w.indicator = p.indicator
)
select * from final
