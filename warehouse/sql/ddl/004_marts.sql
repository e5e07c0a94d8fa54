-- Marts: what the UI and the CLI read; one table per question. Every index is computed within one year, one
-- measure, one region level and one industry level, and each row records the options it was computed with.

-- Location quotient of every region x industry.
-- grain: year, measure, region_level, industry_level, region_code, industry_code
create table if not exists mart_location_quotient (
    year bigint, measure varchar, region_level varchar, industry_level varchar, region_code varchar,
    industry_code varchar, value double, region_total double, industry_total double, total double,
    lq double, lq_additive double, specialised boolean, note varchar,
    reference varchar not null, threshold double not null,
    suppressed boolean default false  -- a figure withheld by a release's disclosure control
);
-- Region profile: specialisation and diversity of each region's economy across industries.
-- grain: year, measure, region_level, industry_level, region_code
create table if not exists mart_region_profile (
    year bigint, measure varchar, region_level varchar, industry_level varchar, region_code varchar,
    value_total double, n_industries bigint,
    hhi double, n_units bigint, n_positive bigint, hhi_normalised double, equivalent_number double,
    entropy double, krugman double, specialisation_coefficient double, krugman_against varchar,
    hachman double, diversity bigint, duranton_puga double, lq_gini double,
    reference varchar, note varchar,
    suppressed boolean default false  -- a figure withheld by a release's disclosure control
);
-- Geographic concentration of each industry across regions.
-- grain: year, measure, region_level, industry_level, industry_code
create table if not exists mart_industry_concentration (
    year bigint, measure varchar, region_level varchar, industry_level varchar, industry_code varchar,
    value_total double, hhi double, n_units bigint, n_positive bigint, hhi_normalised double,
    equivalent_number double, cr4 double, krugman double, krugman_against varchar, locational_gini double,
    lq_gini double, ubiquity bigint, note varchar,
    suppressed boolean default false  -- a figure withheld by a release's disclosure control
);
-- Balance of each measure across the regions of one level, with the Theil decomposition between and within zones
-- (a partition: a region in several zones is counted in the first listed in the methodology; partition_note).
-- grain: year, measure, region_level, industry_level
create table if not exists mart_balance (
    year bigint, measure varchar, region_level varchar, industry_level varchar, n_units bigint,
    gini double, cv double, atkinson double, theil double, theil_kind varchar, between double, within double,
    n_groups bigint, partition varchar, partition_note varchar, note varchar,
    suppressed boolean default false  -- a figure withheld by a release's disclosure control
);
-- Growth of every region x industry between consecutive years and over the whole period.
-- grain: measure, region_level, industry_level, region_code, industry_code, start_year, end_year
create table if not exists mart_growth (
    measure varchar, region_level varchar, industry_level varchar, region_code varchar, industry_code varchar,
    start_year bigint, end_year bigint, value_start double, value_end double, change double,
    growth_rate double, cagr double, note varchar,
    suppressed boolean default false  -- a figure withheld by a release's disclosure control
);
-- Shift-share of every region x industry (Dunn's components and the Esteban-Marquillas split), internal reference.
-- grain: measure, region_level, industry_level, region_code, industry_code, start_year, end_year
create table if not exists mart_shift_share (
    measure varchar, region_level varchar, industry_level varchar, region_code varchar, industry_code varchar,
    start_year bigint, end_year bigint, value_start double, value_end double, change double,
    reference_growth double, industry_growth double, national_share double, industry_mix double,
    competitive double, net_shift double, homothetic_competitive double, allocation double,
    method varchar, note varchar,
    suppressed boolean default false  -- a figure withheld by a release's disclosure control
);
-- Category LQ by region: regional-industry records rolled up through the category-industries map, against the
-- region's all-industry total.
-- grain: year, measure, region_level, industry_level, region_code, category_code
create table if not exists mart_category_lq (
    year bigint, measure varchar, region_level varchar, industry_level varchar, region_code varchar,
    category_code varchar, value double, region_total double, category_total double, total double,
    lq double, lq_additive double, specialised boolean, note varchar,
    reference varchar not null, threshold double not null,
    suppressed boolean default false  -- a figure withheld by a release's disclosure control
);
-- Geographic concentration of each cluster category across regions.
-- grain: year, measure, region_level, industry_level, category_code
create table if not exists mart_category_concentration (
    year bigint, measure varchar, region_level varchar, industry_level varchar, category_code varchar,
    value_total double, hhi double, n_units bigint, hhi_normalised double, equivalent_number double, cr4 double,
    krugman double, krugman_against varchar, ubiquity bigint, note varchar,
    suppressed boolean default false  -- a figure withheld by a release's disclosure control
);
-- U.S. Cluster Mapping strength of each cluster category in each region (employment) and its portfolio quadrant
-- against the previous year.
-- grain: year, region_level, industry_level, region_code, category_code
create table if not exists mart_category_strength (
    year bigint, region_level varchar, industry_level varchar, region_code varchar, category_code varchar,
    employment double, establishments double, lq double, lq_percentile double, employment_percentile double,
    establishments_percentile double, qualifying boolean, strong boolean,
    lq_percentile_cut double, size_percentile_cut double, note varchar,
    lq_change double, employment_change double, quadrant varchar, quadrant_note varchar,
    suppressed boolean default false  -- a figure withheld by a release's disclosure control
);
-- Each region's cluster strength (U.S. Cluster Mapping): the share of its employment in its strong categories.
-- grain: year, region_level, industry_level, region_code
create table if not exists mart_region_category_strength (
    year bigint, region_level varchar, industry_level varchar, region_code varchar, strong_employment double,
    employment_total double, cluster_strength double, n_strong bigint, n_categories bigint, note varchar,
    suppressed boolean default false  -- a figure withheld by a release's disclosure control
);
-- Where each named cluster is: its lead and member regions, with its category's figures there.
-- grain: cluster_code, region_code, year, region_level, industry_level
create table if not exists mart_cluster_location (
    cluster_code varchar, region_code varchar, role varchar, category_code varchar, year bigint,
    region_level varchar, industry_level varchar, employment double, lq double, strong boolean, quadrant varchar,
    suppressed boolean default false  -- a figure withheld by a release's disclosure control
);
-- Firm concentration within each cluster and the agglomeration of its firms across regions.
-- grain: year, measure, cluster_code
create table if not exists mart_cluster_firm_concentration (
    year bigint, measure varchar, cluster_code varchar,
    hhi double, n_units bigint, n_positive bigint, hhi_normalised double, equivalent_number double, cr4 double,
    eg_gamma double, eg_g double, eg_h double, eg_z double, ms_gamma double, regional_shares varchar, note varchar,
    suppressed boolean default false  -- a figure withheld by a release's disclosure control
);
-- The same for industries (from firm records).
-- grain: year, measure, industry_code
create table if not exists mart_industry_firm_concentration (
    year bigint, measure varchar, industry_code varchar,
    hhi double, n_units bigint, n_positive bigint, hhi_normalised double, equivalent_number double, cr4 double,
    eg_gamma double, eg_g double, eg_h double, eg_z double, ms_gamma double, regional_shares varchar, note varchar,
    suppressed boolean default false  -- a figure withheld by a release's disclosure control
);
-- Indicator values, normalised scores and weights behind each composite score.
-- grain: cluster_code, year, indicator
create table if not exists mart_cluster_indicator (
    year bigint, cluster_code varchar, indicator varchar, indicator_name varchar, indicator_name_zh varchar,
    pillar varchar, raw_value double, normalised double, weight double, direction integer, unit varchar,
    methodology_hash varchar
);
-- Composite performance score, rank and size band per cluster and year.
-- grain: cluster_code, year
create table if not exists mart_cluster_score (
    year bigint, cluster_code varchar, score double, rank bigint, n_ranked bigint,
    indicators_used bigint, indicators_total bigint, output_value double, employment double, size_band varchar,
    methodology_hash varchar, note varchar
);
