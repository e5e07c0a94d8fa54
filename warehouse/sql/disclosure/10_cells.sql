-- Disclosure control of a release file (issue 17): the cells suppressed (primary and secondary alike; which rule hit
-- a cell is not published, only the counts per rule in disclosure_report) are made a flag, never a zero. The
-- table disclosure_cell (year, measure, region_code, industry_code) was written before this script; a region or
-- industry code may be at any level of its hierarchy, {region_top} / {industry_top} name the totals.
-- hidden(y, m, r, i): whether the cell (y, m, r, i) is suppressed.
-- (the macro's body names columns no table here has: an argument such as `year` binds to the caller's table)
create or replace temp table _hidden as
select year as h_year, measure as h_measure, region_code as h_region, industry_code as h_industry
from disclosure_cell;
create or replace temp macro hidden(y, ms, r, i) as
    exists (select 1 from _hidden where h_year = y and h_measure = ms and h_region = r and h_industry = i);

-- The regional-industry records: a suppressed inner cell keeps its row, with no value and the flag.
alter table fact_regional_industry alter column value drop not null;
alter table fact_regional_industry add column if not exists suppressed boolean default false;
update fact_regional_industry set value = null, suppressed = true
where hidden(year, measure, region_code, industry_code);

-- Location quotients: the cell, its region's and its industry's totals, the grand total; an LQ (and whether it is
-- above the threshold) is withheld when any of the four is: with the other three it gives the fourth back.
create or replace temp table _lq as
select m.*, hidden(year, measure, region_code, industry_code) as h_cell,
       hidden(year, measure, region_code, '{industry_top}') as h_region,
       hidden(year, measure, '{region_top}', industry_code) as h_industry,
       hidden(year, measure, '{region_top}', '{industry_top}') as h_total
from mart_location_quotient m;
create or replace table mart_location_quotient as
select * exclude (h_cell, h_region, h_industry, h_total, suppressed) replace (
    case when h_cell then null else value end as value,
    case when h_region then null else region_total end as region_total,
    case when h_industry then null else industry_total end as industry_total,
    case when h_total then null else total end as total,
    case when h_cell or h_region or h_industry or h_total then null else lq end as lq,
    case when h_cell or h_region or h_industry or h_total then null else lq_additive end as lq_additive,
    case when h_cell or h_region or h_industry or h_total then null else specialised end as specialised),
    h_cell or h_region or h_industry or h_total as suppressed
from _lq;

-- Category location quotients: the category's cell in the region is a (weighted) sum of industry cells, protected
-- with them (the category is a published code of the industry dimension).
create or replace temp table _clq as
select m.*, hidden(year, measure, region_code, category_code) as h_cell,
       hidden(year, measure, region_code, '{industry_top}') as h_region,
       hidden(year, measure, '{region_top}', category_code) as h_category,
       hidden(year, measure, '{region_top}', '{industry_top}') as h_total
from mart_category_lq m;
create or replace table mart_category_lq as
select * exclude (h_cell, h_region, h_category, h_total, suppressed) replace (
    case when h_cell then null else value end as value,
    case when h_region then null else region_total end as region_total,
    case when h_category then null else category_total end as category_total,
    case when h_total then null else total end as total,
    case when h_cell or h_region or h_category or h_total then null else lq end as lq,
    case when h_cell or h_region or h_category or h_total then null else lq_additive end as lq_additive,
    case when h_cell or h_region or h_category or h_total then null else specialised end as specialised),
    h_cell or h_region or h_category or h_total as suppressed
from _clq;
