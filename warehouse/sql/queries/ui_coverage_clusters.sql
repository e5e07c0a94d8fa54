-- Which cluster-years the cluster indicators cover: indicators reported per cluster and year.
-- grain: cluster_code, year
with facts as (
    select * from fact_cluster_indicator
),
final as (
    select f.cluster_code, c.name, c.name_en, f.year, count(distinct f.indicator) as indicators, count(*) as cells,
           max(f.vintage) as newest_vintage
    from facts f
    left join dim_cluster c on c.code = f.cluster_code
    group by all
)
select * from final order by cluster_code, year
