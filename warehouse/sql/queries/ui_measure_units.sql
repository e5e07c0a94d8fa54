-- The canonical unit of each measure of the build (money: the build's one currency), to label amounts.
-- grain: measure
select measure, dimension, unit from mart_measure_unit order by measure
