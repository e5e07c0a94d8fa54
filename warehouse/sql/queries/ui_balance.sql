-- Balance of each measure across the regions of one level in a year: Gini, CV, Atkinson, and the Theil index with
-- its decomposition between and within the development zones.
-- grain: measure
select measure, n_units, gini, cv, atkinson, theil, theil_kind, between, within, n_groups, partition,
       partition_note, note,
       between / nullif(theil, 0) as between_share
from mart_balance
where year = $year and region_level = $region_level and industry_level = $industry_level
order by measure
