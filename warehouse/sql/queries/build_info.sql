-- The live build.
-- grain: build_id (one row)
select * from _build
