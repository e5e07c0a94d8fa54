-- Firm concentration within one cluster over the years.
-- grain: year, measure
select year, measure, hhi, hhi_normalised, equivalent_number, cr4, n_units, note
from mart_cluster_firm_concentration
where cluster_code = $code
order by year, measure
