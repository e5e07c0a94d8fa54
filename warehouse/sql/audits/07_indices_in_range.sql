-- Bounded indices stay in their bounds: Krugman in [0, 2], locational Gini (Krugman form) in [0, 0.5],
-- Gini in [0, 1), Theil decomposition between + within = total.
-- grain: the mart's grain (offending rows only)
select 'mart_region_profile' as mart, region_code as code, year, measure, 'krugman' as index_name, krugman as value
from mart_region_profile where krugman < -1e-12 or krugman > 2 + 1e-12
union all
select 'mart_industry_concentration', industry_code, year, measure, 'locational_gini', locational_gini
from mart_industry_concentration where locational_gini < -1e-12 or locational_gini > 0.5 + 1e-12
union all
select 'mart_balance', region_level, year, measure, 'gini', gini
from mart_balance where gini < -1e-12 or gini >= 1
union all
select 'mart_balance', region_level, year, measure, 'theil between + within', between + within - theil
from mart_balance where between is not null and abs(between + within - theil) > 1e-9 * greatest(1, theil)
