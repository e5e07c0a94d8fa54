-- Every industry of the dictionary, in the dictionary's order (GB/T 4754 order as uploaded).
-- grain: code
select code, name, name_en, parent_code, level, classification, ord
from dim_industry
order by ord
