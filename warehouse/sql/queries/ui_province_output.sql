-- The province's output per year as the live build used it (the methodology preview).
-- grain: year
select year, province_output from mart_province_output order by year
