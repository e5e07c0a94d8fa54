-- Small tables a build writes so that the app's pages never scan the facts or the large marts (a census
-- warehouse holds tens of millions of fact rows and hundreds of millions of mart rows).

-- Which region-years the regional-industry records cover (the data page).
-- grain: region_code, year
create table if not exists mart_coverage_region (
    region_code varchar, year bigint, cells bigint, industries bigint, measures bigint, newest_vintage integer
);
-- The region and industry levels the regional indices were computed at, with their sizes (every page's default).
-- grain: region_level, industry_level
create table if not exists mart_levels (
    region_level varchar, industry_level varchar, regions bigint, industries bigint,
    first_year bigint, last_year bigint
);
-- The denominator of a cluster's share of provincial output, per year (scores and the methodology preview).
-- grain: year
create table if not exists mart_province_output (year bigint, province_output double);
-- Each named cluster's category location quotients in its lead region (scores and the methodology preview).
-- grain: cluster_code, year, measure
create table if not exists mart_cluster_lead_lq (
    cluster_code varchar, region_code varchar, category_code varchar, year bigint, measure varchar, lq double, suppressed boolean default false);
-- The canonical unit of every measure of the build (money: its one currency, yuan unless declared otherwise), from
-- the uploads' declared units (pipeline.jobs.units); the pages label amounts with it.
-- grain: measure
create table if not exists mart_measure_unit (
    measure varchar, dimension varchar, unit varchar, uploads bigint
);
