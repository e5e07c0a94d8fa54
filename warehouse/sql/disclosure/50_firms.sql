-- Firm records never leave in a release (they are the respondents' data); the firm-concentration figures of a
-- cluster or industry whose firms fail a primary rule (a few firms, or one or two dominant ones: its HHI and CR4
-- would give their shares away) are withheld, and so are its regional shares when a region's part fails one.
-- disclosure_firm_group (kind: cluster | industry, code, year, measure, part: whole | regions) was written before.
-- Run once per {table} (mart_cluster_firm_concentration: {kind} cluster, {code} cluster_code; and the industries').
delete from fact_firm;

create or replace table {table} as
select m.* exclude (suppressed) replace (
    case when w.code is not null then null else hhi end as hhi,
    case when w.code is not null then null else hhi_normalised end as hhi_normalised,
    case when w.code is not null then null else equivalent_number end as equivalent_number,
    case when w.code is not null then null else cr4 end as cr4,
    case when w.code is not null then null else eg_gamma end as eg_gamma,
    case when w.code is not null then null else eg_g end as eg_g,
    case when w.code is not null then null else eg_h end as eg_h,
    case when w.code is not null then null else eg_z end as eg_z,
    case when w.code is not null then null else ms_gamma end as ms_gamma,
    case when w.code is not null or r.code is not null then null else regional_shares end as regional_shares),
    w.code is not null or r.code is not null as suppressed
from {table} m
left join disclosure_firm_group w
    on w.kind = '{kind}' and w.part = 'whole' and w.code = m.{code} and w.year = m.year and w.measure = m.measure
left join disclosure_firm_group r
    on r.kind = '{kind}' and r.part = 'regions' and r.code = m.{code} and r.year = m.year and r.measure = m.measure;
