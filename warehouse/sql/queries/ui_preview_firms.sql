-- Firm concentration within each cluster, as the live build computed it (an input of the score; see
-- ui_preview_cluster_lq.sql).
-- grain: year, measure, cluster_code
select cluster_code, year, measure, hhi, cr4 from mart_cluster_firm_concentration
