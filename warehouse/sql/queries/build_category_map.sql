-- The category -> industry map in force.
-- grain: category_code, industry_code, valid_from
select category_code, industry_code, weight, valid_from, valid_to from bridge_category_industry
