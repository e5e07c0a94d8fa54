-- One cluster's score change on the previous year and each indicator's contribution to it; the effects of the
-- other clusters moving (reference) and of the rest close the sum.
-- grain: indicator (kind = indicator), or one row per effect (kind = reference, other)
with change as (
    select * from mart_cluster_score_change where cluster_code = $code and year = $year
),
parts as (
    select 'indicator' as kind, indicator, indicator_name, indicator_name_zh, pillar, contribution
    from mart_cluster_score_contribution where cluster_code = $code and year = $year
),
effects as (
    select 'reference' as kind, null as indicator, null as indicator_name, null as indicator_name_zh, null as pillar,
           reference_effect as contribution
    from change
    union all
    select 'other', null, null, null, null, other_effect from change
),
final as (
    select c.previous_year, c.previous_score, c.score, c.change, x.*
    from change c
    cross join (select * from parts union all select * from effects) x
)
select * from final order by kind, abs(contribution) desc nulls last, indicator
