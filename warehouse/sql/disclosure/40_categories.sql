-- Cluster-category strength and where named clusters are: the category's employment in a region is a cell of the
-- protected employment table; its LQ and change go with it.
create or replace temp table _cs as
select m.*, hidden(year, 'employment', region_code, category_code)
            or hidden(year, 'employment', region_code, '{industry_top}')
            or hidden(year, 'employment', '{region_top}', category_code)
            or hidden(year, 'employment', '{region_top}', '{industry_top}') as h,
       hidden(year - 1, 'employment', region_code, category_code) as h_before
from mart_category_strength m;
create or replace table mart_category_strength as
select * exclude (h, h_before, suppressed) replace (
    case when hidden(year, 'employment', region_code, category_code) then null else employment end as employment,
    case when h then null else lq end as lq,
    case when h or h_before then null else lq_change end as lq_change,
    case when h or h_before then null else employment_change end as employment_change),
    h or h_before as suppressed
from _cs;

create or replace temp table _rcs as
select m.*, exists (select 1 from mart_category_strength s where s.year = m.year and s.region_code = m.region_code
                    and s.region_level = m.region_level and s.strong
                    and hidden(s.year, 'employment', s.region_code, s.category_code)) as h
from mart_region_category_strength m;
create or replace table mart_region_category_strength as
select * exclude (h, suppressed) replace (
    case when h then null else strong_employment end as strong_employment,
    case when h then null else cluster_strength end as cluster_strength,
    case when hidden(year, 'employment', region_code, '{industry_top}') then null else employment_total end
        as employment_total),
    h or hidden(year, 'employment', region_code, '{industry_top}') as suppressed
from _rcs;

create or replace table mart_cluster_location as
select m.* exclude (suppressed) replace (
    case when hidden(m.year, 'employment', m.region_code, m.category_code) then null else m.employment end
        as employment,
    case when s.suppressed then null else m.lq end as lq),
    coalesce(hidden(m.year, 'employment', m.region_code, m.category_code) or s.suppressed, false) as suppressed
from mart_cluster_location m
left join (select year, region_level, industry_level, region_code, category_code, suppressed
           from mart_category_strength) s using (year, region_level, industry_level, region_code, category_code);

create or replace table mart_cluster_lead_lq as
select m.* exclude (suppressed) replace (case when l.suppressed then null else m.lq end as lq), coalesce(l.suppressed, false) as suppressed
from mart_cluster_lead_lq m
left join (select year, measure, region_code, category_code, bool_or(suppressed) as suppressed
           from mart_category_lq group by all) l using (year, measure, region_code, category_code);
