-- Dimensions and facts: the newest vintage of every record.

-- grain: code
create table if not exists dim_region (
    code varchar primary key, name varchar not null, name_en varchar, parent_code varchar, level varchar not null,
    upload_id varchar not null, vintage integer not null
);
-- Region groupings (development zones); a region may be in several.
-- grain: region_code, group_code
create table if not exists bridge_region_group (
    region_code varchar not null, group_code varchar not null, primary key (region_code, group_code)
);
-- grain: code
create table if not exists dim_industry (
    code varchar primary key, name varchar not null, name_en varchar, parent_code varchar, level varchar not null,
    classification varchar not null, upload_id varchar not null, vintage integer not null
);
-- grain: code
create table if not exists dim_cluster (
    code varchar primary key, name varchar not null, name_en varchar, tier varchar not null,
    category varchar not null, lead_region varchar not null, description varchar,
    upload_id varchar not null, vintage integer not null
);
-- grain: cluster_code, industry_code, valid_from
create table if not exists bridge_cluster_industry (
    cluster_code varchar not null, industry_code varchar not null, weight double not null,
    valid_from bigint, valid_to bigint, upload_id varchar not null, vintage integer not null
);
-- Long format: one row per record and measure; the newest vintage reporting that measure wins.
-- grain: region_code, industry_code, year, measure
create table if not exists fact_regional_industry (
    region_code varchar not null, industry_code varchar not null, year bigint not null, measure varchar not null,
    value double not null, upload_id varchar not null, vintage integer not null, source_row bigint
);
-- grain: cluster_code, region_code (null = whole cluster), year, indicator
create table if not exists fact_cluster_indicator (
    cluster_code varchar not null, region_code varchar, year bigint not null, indicator varchar not null,
    value double not null, upload_id varchar not null, vintage integer not null, source_row bigint
);
-- grain: firm_id, year
create table if not exists fact_firm (
    firm_id varchar not null, year bigint not null, name varchar, region_code varchar not null,
    industry_code varchar not null, cluster_code varchar, employment double, output_value double,
    upload_id varchar not null, vintage integer not null
);
