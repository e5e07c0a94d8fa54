-- Every named cluster of the dictionary with its category, lead region and member regions.
-- grain: code
with members as (
    select cluster_code, string_agg(region_code, ';' order by region_code) as member_regions
    from bridge_cluster_region where role = 'member' group by cluster_code
)
select c.code, c.name, c.name_en, c.tier, c.category, c.category_code, c.lead_region, m.member_regions,
       c.description
from dim_cluster c
left join members m on m.cluster_code = c.code
order by c.code
