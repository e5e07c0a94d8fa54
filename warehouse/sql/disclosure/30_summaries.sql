-- Figures made of one row or column of cells. Totals stay published where their protection holds (they are cells
-- of the protected table); an index of the distribution of a row or column (HHI, entropy, Krugman, CR4, Gini ...)
-- is withheld when that row or column holds a suppressed cell: over a few cells such an index and the published
-- total can pin the suppressed cell's share.
create or replace temp table _rp as
select m.*, hidden(year, measure, region_code, '{industry_top}') as h_total,
       exists (select 1 from _hidden where h_year = m.year and h_measure = m.measure
               and h_region = m.region_code and h_industry <> '{industry_top}') as h_row
from mart_region_profile m;
create or replace table mart_region_profile as
select * exclude (h_total, h_row, suppressed) replace (
    case when h_total then null else value_total end as value_total,
    case when h_row then null else hhi end as hhi, case when h_row then null else hhi_normalised end as hhi_normalised,
    case when h_row then null else equivalent_number end as equivalent_number,
    case when h_row then null else entropy end as entropy, case when h_row then null else krugman end as krugman,
    case when h_row then null else specialisation_coefficient end as specialisation_coefficient,
    case when h_row then null else hachman end as hachman,
    case when h_row then null else duranton_puga end as duranton_puga,
    case when h_row then null else lq_gini end as lq_gini),
    h_total or h_row as suppressed
from _rp;

create or replace temp table _ic as
select m.*, hidden(year, measure, '{region_top}', industry_code) as h_total,
       exists (select 1 from _hidden where h_year = m.year and h_measure = m.measure
               and h_industry = m.industry_code and h_region <> '{region_top}') as h_col
from mart_industry_concentration m;
create or replace table mart_industry_concentration as
select * exclude (h_total, h_col, suppressed) replace (
    case when h_total then null else value_total end as value_total,
    case when h_col then null else hhi end as hhi, case when h_col then null else hhi_normalised end as hhi_normalised,
    case when h_col then null else equivalent_number end as equivalent_number,
    case when h_col then null else cr4 end as cr4, case when h_col then null else krugman end as krugman,
    case when h_col then null else locational_gini end as locational_gini,
    case when h_col then null else lq_gini end as lq_gini),
    h_total or h_col as suppressed
from _ic;

create or replace temp table _cc as
select m.*, hidden(year, measure, '{region_top}', category_code) as h_total,
       exists (select 1 from _hidden where h_year = m.year and h_measure = m.measure
               and h_industry = m.category_code and h_region <> '{region_top}') as h_col
from mart_category_concentration m;
create or replace table mart_category_concentration as
select * exclude (h_total, h_col, suppressed) replace (
    case when h_total then null else value_total end as value_total,
    case when h_col then null else hhi end as hhi, case when h_col then null else hhi_normalised end as hhi_normalised,
    case when h_col then null else equivalent_number end as equivalent_number,
    case when h_col then null else cr4 end as cr4, case when h_col then null else krugman end as krugman),
    h_total or h_col as suppressed
from _cc;

-- The balance of a measure across regions is made of the regions' totals.
create or replace temp table _bal as
select m.*, exists (select 1 from _hidden where h_year = m.year and h_measure = m.measure
                    and h_industry = '{industry_top}') as h
from mart_balance m;
create or replace table mart_balance as
select * exclude (h, suppressed) replace (
    case when h then null else gini end as gini, case when h then null else cv end as cv,
    case when h then null else atkinson end as atkinson, case when h then null else theil end as theil,
    case when h then null else "between" end as "between", case when h then null else within end as within),
    h as suppressed
from _bal;
