-- Province-level cluster KPIs for a year and the year before.
-- grain: one row (parameter $year)
with scores as (
    select * from mart_cluster_score
),
employment as (
    select year, sum(value) as employment
    from fact_cluster_indicator
    where indicator = 'employment' and region_code is null
    group by year
),
per_year as (
    select s.year,
           count(*) as clusters,
           count(*) filter (where c.tier = 'emerging') as emerging,
           count(s.score) as scored,
           sum(s.output_value) as output_value,
           median(s.score) as median_score
    from scores s
    join dim_cluster c on c.code = s.cluster_code
    group by s.year
),
final as (
    select cur.year, cur.clusters, cur.emerging, cur.scored, cur.output_value, cur.median_score,
           e.employment,
           prev.output_value as output_value_prev, pe.employment as employment_prev
    from per_year cur
    left join per_year prev on prev.year = cur.year - 1
    left join employment e on e.year = cur.year
    left join employment pe on pe.year = cur.year - 1
    where cur.year = $year
)
select * from final
