-- Staging: every landed vintage of every kind, as landed (canonical units), with its upload and vintage.
-- Older vintages stay readable here; the dimensions and facts keep only the newest.
-- A kind with landed files is replaced at build time by a view of the same name over its Parquet files
-- (staging/00_load_landed.sql), so a census-size upload is read once, where the facts are built, not copied;
-- the tables below are what a kind without uploads looks like.

-- grain: upload_id, code
create table if not exists stg_regions (
    code varchar, name varchar, name_en varchar, parent_code varchar, level varchar, groups varchar,
    lon double, lat double, source_row bigint, upload_id varchar, vintage integer, seq bigint
);
-- grain: upload_id, code
create table if not exists stg_industries (
    code varchar, name varchar, name_en varchar, parent_code varchar, level varchar, classification varchar,
    source_row bigint, upload_id varchar, vintage integer, seq bigint
);
-- grain: upload_id, code
create table if not exists stg_cluster_categories (
    code varchar, name varchar, name_en varchar, parent_code varchar,
    source_row bigint, upload_id varchar, vintage integer, seq bigint
);
-- grain: upload_id, code
create table if not exists stg_clusters (
    code varchar, name varchar, name_en varchar, tier varchar, category varchar, category_code varchar,
    lead_region varchar, member_regions varchar, description varchar,
    source_row bigint, upload_id varchar, vintage integer, seq bigint
);
-- grain: upload_id, category_code, cluster_code (deprecated layout), industry_code, valid_from
create table if not exists stg_cluster_industries (
    category_code varchar, cluster_code varchar, industry_code varchar, weight double, valid_from bigint,
    valid_to bigint, source_row bigint, upload_id varchar, vintage integer, seq bigint
);
-- grain: upload_id, region_code, industry_code, year
create table if not exists stg_regional_industry (
    region_code varchar, industry_code varchar, year bigint,
    employment double, establishments double, output_value double, value_added double, revenue double,
    wages double, exports double,
    source_row bigint, upload_id varchar, vintage integer, seq bigint
);
-- grain: upload_id, cluster_code, region_code, year
create table if not exists stg_cluster_indicators (
    cluster_code varchar, region_code varchar, year bigint,
    output_value double, employment double, firms double, new_firms double, rd_spending double,
    rd_staff double, patents double, new_product_sales double, exports double, profit double,
    energy_use double, sme_output double, graduates double,
    source_row bigint, upload_id varchar, vintage integer, seq bigint
);
-- grain: upload_id, firm_id, year
create table if not exists stg_firms (
    firm_id varchar, year bigint, name varchar, region_code varchar, industry_code varchar, cluster_code varchar,
    employment double, output_value double,
    source_row bigint, upload_id varchar, vintage integer, seq bigint
);
