-- Every cluster of the dictionary with its lead region.
-- grain: code
select code, name, name_en, tier, category, lead_region, description from dim_cluster order by code
