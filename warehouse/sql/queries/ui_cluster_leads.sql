-- Each cluster's lead region.
-- grain: code
select code, lead_region from dim_cluster
