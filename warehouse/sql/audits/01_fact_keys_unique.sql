-- Each regional-industry record and measure appears once in the facts.
-- grain: region_code, industry_code, year, measure (offending rows only)
select region_code, industry_code, year, measure, count(*) as copies
from fact_regional_industry
group by all
having count(*) > 1
