-- Dimensions and facts: the newest vintage of every record.

-- ord: the dictionary's own order (the order of the rows in the file that first landed each code, files in
-- landing order), in which every table, axis and export lists the regions (GB/T 2260 order for the demo).
-- grain: code
-- lon, lat: the region's seat (optional), where a map without boundaries draws its symbol.
create table if not exists dim_region (
    code varchar primary key, name varchar not null, name_en varchar, parent_code varchar, level varchar not null,
    upload_id varchar not null, vintage integer not null, ord bigint not null, lon double, lat double
);
-- Region groupings (development zones); a region may be in several.
-- grain: region_code, group_code
create table if not exists bridge_region_group (
    region_code varchar not null, group_code varchar not null, primary key (region_code, group_code)
);
-- grain: code
-- ord: the dictionary's own order, as for regions (GB/T 4754 order for the demo: sections, then divisions).
create table if not exists dim_industry (
    code varchar primary key, name varchar not null, name_en varchar, parent_code varchar, level varchar not null,
    classification varchar not null, upload_id varchar not null, vintage integer not null, ord bigint not null
);
-- Cluster categories (sets of industries, measured in every region). A named cluster uploaded without a category
-- is a category of its own (own_of = the cluster's code), so that its figures are measured as before.
-- grain: code
create table if not exists dim_category (
    code varchar primary key, name varchar not null, name_en varchar, parent_code varchar, own_of varchar,
    upload_id varchar not null, vintage integer not null, ord bigint not null
);
-- Named clusters (located agglomerations): their category, lead region and sector.
-- grain: code
create table if not exists dim_cluster (
    code varchar primary key, name varchar not null, name_en varchar, tier varchar not null,
    category varchar not null, category_code varchar not null, lead_region varchar not null, description varchar,
    upload_id varchar not null, vintage integer not null
);
-- The regions a named cluster is in: its lead region and its member regions.
-- grain: cluster_code, region_code
create table if not exists bridge_cluster_region (
    cluster_code varchar not null, region_code varchar not null, role varchar not null,
    primary key (cluster_code, region_code)
);
-- grain: category_code, industry_code, valid_from
create table if not exists bridge_category_industry (
    category_code varchar not null, industry_code varchar not null, weight double not null,
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
