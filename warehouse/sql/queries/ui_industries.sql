-- Every industry of the dictionary.
-- grain: code
select code, name, name_en, parent_code, level, classification
from dim_industry
order by code
