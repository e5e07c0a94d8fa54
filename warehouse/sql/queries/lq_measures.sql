-- Measures available for category location quotients (those of the category concentration mart, which the build
-- computes from the same roll-up: a few thousand rows rather than every region x category).
-- grain: measure
select distinct measure from mart_category_concentration order by measure
