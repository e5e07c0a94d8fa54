-- Disclosure control (pipeline/publishing/disclosure.py). A build holds every figure and these tables are empty; a
-- release file holds the protected tables and fills them (warehouse/sql/disclosure/).
-- The cells suppressed (primary and secondary alike), a region and an industry or category code at any level.
-- grain: year, measure, region_code, industry_code
create table if not exists disclosure_cell (
    year bigint, measure varchar, region_code varchar, industry_code varchar
);
-- Clusters and industries whose firm-concentration figures (part = whole) or regional shares (part = regions) are
-- withheld.
-- grain: kind, code, year, measure, part
create table if not exists disclosure_firm_group (
    kind varchar, code varchar, year bigint, measure varchar, part varchar
);
-- Per protected table (year x measure): how its firms were known (firms | counts | none), its cells and how many
-- each rule suppressed; secondary cells, of which interval: suppressed to widen an attacker's bounds.
-- grain: table_name, measure, year
create table if not exists disclosure_report (
    table_name varchar, measure varchar, year bigint, assessed varchar, cells bigint, frequency bigint,
    dominance bigint, p_percent bigint, flagged bigint, secondary bigint, interval bigint,
    suppressed bigint, method varchar,  -- gauss | certificates (pipeline.publishing.certificates) | none
    leans_on_singleton bigint  -- primary cells whose certificate moves a one-firm cell (certificates only)
);
