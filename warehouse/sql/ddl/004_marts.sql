-- Marts: what the UI and the CLI read; one table per question.

-- Location quotient of every region x industry (same industry level) x year x measure.
-- grain: region_code, industry_code, year, measure
create table if not exists mart_location_quotient (
    year bigint, measure varchar, region_level varchar, industry_level varchar, region_code varchar, industry_code varchar,
    value double, region_total double, industry_total double, total double,
    lq double, lq_additive double, specialised boolean, note varchar,
    reference varchar not null, threshold double not null
);
-- Geographic concentration of each industry across regions (Herfindahl of regional shares).
-- grain: industry_code, year, measure
create table if not exists mart_industry_concentration (
    year bigint, measure varchar, region_level varchar, industry_level varchar, industry_code varchar,
    hhi double, n_units bigint, n_positive bigint, hhi_normalised double, equivalent_number double, note varchar
);
-- Diversity of each region across industries (Herfindahl of industry shares).
-- grain: region_code, year, measure
create table if not exists mart_region_diversity (
    year bigint, measure varchar, region_level varchar, industry_level varchar, region_code varchar,
    hhi double, n_units bigint, n_positive bigint, hhi_normalised double, equivalent_number double, note varchar
);
-- Cluster LQ by region: regional-industry records rolled up through the cluster-industries map.
-- grain: cluster_code, region_code, year, measure
create table if not exists mart_cluster_lq (
    year bigint, measure varchar, region_level varchar, industry_level varchar, region_code varchar, cluster_code varchar,
    value double, region_total double, cluster_total double, total double,
    lq double, lq_additive double, specialised boolean, note varchar,
    reference varchar not null, threshold double not null
);
-- Firm concentration within each cluster (market concentration).
-- grain: cluster_code, year, measure
create table if not exists mart_cluster_firm_concentration (
    year bigint, measure varchar, cluster_code varchar,
    hhi double, n_units bigint, n_positive bigint, hhi_normalised double, equivalent_number double,
    cr4 double, note varchar
);
-- Indicator values, normalised scores and weights behind each composite score.
-- grain: cluster_code, year, indicator
create table if not exists mart_cluster_indicator (
    year bigint, cluster_code varchar, indicator varchar, indicator_name varchar, indicator_name_zh varchar,
    pillar varchar, raw_value double,
    normalised double, weight double, direction integer, unit varchar, methodology_hash varchar
);
-- Composite performance score, rank and size band per cluster and year.
-- grain: cluster_code, year
create table if not exists mart_cluster_score (
    year bigint, cluster_code varchar, score double, rank bigint, n_ranked bigint,
    indicators_used bigint, indicators_total bigint, output_value double, employment double, size_band varchar,
    methodology_hash varchar, note varchar
);
