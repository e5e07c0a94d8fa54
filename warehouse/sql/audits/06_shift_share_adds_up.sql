-- Shift-share components add up to the actual change, and the Esteban-Marquillas split to the competitive effect.
-- grain: measure, region_code, industry_code, start_year, end_year (offending rows only)
select measure, region_code, industry_code, start_year, end_year, change, national_share, industry_mix,
       competitive, homothetic_competitive, allocation
from mart_shift_share
where abs(national_share + industry_mix + competitive - change) > 1e-6 * greatest(1, abs(value_start), abs(value_end))
   or (homothetic_competitive is not null
       and abs(homothetic_competitive + allocation - competitive) > 1e-6 * greatest(1, abs(value_start), abs(value_end)))
