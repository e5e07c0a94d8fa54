-- Province-level cluster KPIs for a year, with the year before for the change.
-- grain: one row (parameter $year)
with scores as (
    select * from mart_cluster_score
),
per_year as (
    select s.year,
           count(*) as clusters,
           count(*) filter (where c.tier = 'emerging') as emerging,
           count(s.score) as scored,
           sum(s.output_value) as output_value,
           sum(s.employment) as employment,
           median(s.score) as median_score
    from scores s
    join dim_cluster c on c.code = s.cluster_code
    group by s.year
),
final as (
    select cur.year, cur.clusters, cur.emerging, cur.scored, cur.output_value, cur.employment, cur.median_score,
           prev.output_value as output_value_prev, prev.employment as employment_prev
    from per_year cur
    left join per_year prev on prev.year = cur.year - 1
    where cur.year = $year
)
select * from final
