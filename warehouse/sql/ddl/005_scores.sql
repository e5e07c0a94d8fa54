-- The composite score's details: pillar and index scores, treated values, rank intervals, sensitivity,
-- explanations of change, strengths and weaknesses, peer groups, and scores under earlier methodology versions.

-- Score of every aggregate of the hierarchy (pillars, sub-indexes, the index) per cluster and year.
-- grain: cluster_code, year, code
create table if not exists mart_cluster_aggregate (
    cluster_code varchar, year bigint, level varchar, code varchar, name varchar, name_zh varchar, parent varchar,
    score double, rank bigint, n_ranked bigint, weight double, coverage double, methodology_hash varchar
);
-- Values changed by imputation or outlier treatment (every treated value flagged).
-- grain: cluster_code, year, indicator
create table if not exists mart_indicator_treatment (
    cluster_code varchar, year bigint, indicator varchar, raw_value double, value double, treatment varchar,
    methodology_hash varchar
);
-- Monte Carlo rank interval of every cluster: median rank and the 90% interval.
-- grain: cluster_code, year
create table if not exists mart_cluster_rank_interval (
    cluster_code varchar, year bigint, score double, rank bigint, median_rank double, rank_low double,
    rank_high double, n_ranked bigint, samples bigint, methodology_hash varchar
);
-- Variance-based sensitivity of the ranks to each methodological choice (first-order and total effects).
-- grain: year, factor
create table if not exists mart_score_sensitivity (
    year bigint, factor varchar, first_order double, total_effect double, choices varchar, output varchar,
    samples bigint, methodology_hash varchar
);
-- A cluster's score change on the previous year, split into its indicators' effect and the other clusters' moving.
-- grain: cluster_code, year
create table if not exists mart_cluster_score_change (
    cluster_code varchar, year bigint, previous_year bigint, score double, previous_score double, change double,
    indicators_effect double, reference_effect double, other_effect double, main_driver varchar,
    methodology_hash varchar
);
-- Each indicator's contribution to that change (weight x change of its normalised value on last year's scale).
-- grain: cluster_code, year, indicator
create table if not exists mart_cluster_score_contribution (
    cluster_code varchar, year bigint, previous_year bigint, indicator varchar, indicator_name varchar,
    indicator_name_zh varchar, pillar varchar, previous_normalised double, normalised_on_previous_scale double,
    weight double, contribution double, methodology_hash varchar
);
-- Strengths and weaknesses: indicators ranked far above or below the cluster's overall rank.
-- grain: cluster_code, year, indicator
create table if not exists mart_cluster_strengths_weaknesses (
    cluster_code varchar, year bigint, kind varchar, indicator varchar, indicator_name varchar,
    indicator_name_zh varchar, pillar varchar, indicator_rank bigint, indicator_n bigint, rank bigint,
    n_ranked bigint, gap double, methodology_hash varchar
);
-- Peer groups of similar clusters (k-means on pillar scores).
-- grain: cluster_code, year
create table if not exists mart_cluster_peer (
    cluster_code varchar, year bigint, peer_group bigint, group_size bigint, group_mean_score double, peers varchar,
    methodology_hash varchar
);
-- Scores under every methodology version this data directory has used (the live one included), so a score
-- stays readable under the version that produced it.
-- grain: methodology_hash, cluster_code, year
create table if not exists mart_cluster_score_history (
    methodology_hash varchar, methodology_name varchar, cluster_code varchar, year bigint, score double,
    rank bigint, n_ranked bigint, is_current boolean
);
