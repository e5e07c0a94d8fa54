-- Each regional-industry record and measure appears once in the facts, and each firm once a year. The build's
-- index functions trust both keys (pipeline.indices.keys_checked) and do not check them again on each call:
-- this audit is what stops a build whose facts break them.
-- grain: fact, record, year, measure (offending rows only)
select 'fact_regional_industry' as fact, region_code || ' x ' || industry_code as record, year, measure,
       count(*) as copies
from fact_regional_industry
group by region_code, industry_code, year, measure
having count(*) > 1
union all
select 'fact_firm', firm_id, year, null, count(*)
from fact_firm
group by firm_id, year
having count(*) > 1
