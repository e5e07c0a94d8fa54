-- Values changed by imputation or outlier treatment before scoring, with the cluster and indicator names.
-- grain: cluster_code, year, indicator
with treated as (
    select * from mart_indicator_treatment
),
names as (
    select distinct indicator, indicator_name, indicator_name_zh from mart_cluster_indicator
),
final as (
    select t.cluster_code, c.name, c.name_en, t.year, t.indicator, n.indicator_name, n.indicator_name_zh,
           t.raw_value, t.value, t.treatment
    from treated t
    left join dim_cluster c on c.code = t.cluster_code
    left join names n on n.indicator = t.indicator
)
select * from final order by year desc, cluster_code, indicator
