-- One cluster's geographic concentration across cities in a year (how many cities share it, HHI, CR4).
-- grain: measure
select measure, value_total, hhi, n_units, hhi_normalised, equivalent_number, cr4, krugman, ubiquity, note
from mart_cluster_concentration
where cluster_code = $code and year = $year and region_level = $region_level
order by measure
