-- Growth and shift-share of a cell between two years: withheld when the cell is suppressed in either year (its
-- change, rate and every component give the suppressed value back with the other year's); shift-share components
-- also when the industry's or the grand total is (industry and reference growth are made of them).
create or replace temp table _growth as
select m.*, hidden(start_year, measure, region_code, industry_code)
            or hidden(end_year, measure, region_code, industry_code) as h
from mart_growth m;
create or replace table mart_growth as
select * exclude (h, suppressed) replace (
    case when h then null else value_start end as value_start, case when h then null else value_end end as value_end,
    case when h then null else change end as change, case when h then null else growth_rate end as growth_rate,
    case when h then null else cagr end as cagr),
    h as suppressed
from _growth;

create or replace temp table _shift as
select m.*, hidden(start_year, measure, region_code, industry_code)
            or hidden(end_year, measure, region_code, industry_code) as h_cell,
       hidden(start_year, measure, '{region_top}', industry_code)
            or hidden(end_year, measure, '{region_top}', industry_code)
            or hidden(start_year, measure, '{region_top}', '{industry_top}')
            or hidden(end_year, measure, '{region_top}', '{industry_top}') as h_totals
from mart_shift_share m;
create or replace table mart_shift_share as
select * exclude (h_cell, h_totals, suppressed) replace (
    case when h_cell then null else value_start end as value_start,
    case when h_cell then null else value_end end as value_end,
    case when h_cell then null else change end as change,
    case when h_totals then null else reference_growth end as reference_growth,
    case when h_totals then null else industry_growth end as industry_growth,
    case when h_cell or h_totals then null else national_share end as national_share,
    case when h_cell or h_totals then null else industry_mix end as industry_mix,
    case when h_cell or h_totals then null else competitive end as competitive,
    case when h_cell or h_totals then null else net_shift end as net_shift,
    case when h_cell or h_totals then null else homothetic_competitive end as homothetic_competitive,
    case when h_cell or h_totals then null else allocation end as allocation),
    h_cell or h_totals as suppressed
from _shift;
