-- A Herfindahl index lies between 1/n (all units equal) and 1 (one unit holds everything).
-- grain: the mart's grain (offending rows only)
with all_hhi as (
    select 'mart_industry_concentration' as mart, industry_code as code, year, measure, hhi, n_units, note
    from mart_industry_concentration
    union all
    select 'mart_region_profile', region_code, year, measure, hhi, n_units, note from mart_region_profile
    union all
    select 'mart_category_concentration', category_code, year, measure, hhi, n_units, note
    from mart_category_concentration
    union all
    select 'mart_cluster_firm_concentration', cluster_code, year, measure, hhi, n_units, note
    from mart_cluster_firm_concentration
)
select * from all_hhi
where (hhi is null and note is null)
   or (hhi is not null and (hhi > 1 + 1e-9 or hhi < 1.0 / n_units - 1e-9))
