-- Each named cluster's category location quotients in its lead region, as the live build computed them: an input
-- of the score, read to score the same data with another methodology in memory (the methodology preview).
-- grain: cluster_code, year, measure
select cluster_code, region_code, year, measure, lq from mart_cluster_lead_lq
