-- The geographic concentration across cities of one named cluster's category in a year (how many cities are
-- specialised in it, HHI, CR4).
-- grain: measure
select g.measure, g.category_code, g.value_total, g.hhi, g.n_units, g.hhi_normalised, g.equivalent_number, g.cr4,
       g.krugman, g.ubiquity, g.note
from mart_category_concentration g
join dim_cluster c on c.category_code = g.category_code
where c.code = $code and g.year = $year and g.region_level = $region_level
order by g.measure
