-- Every named cluster of the dictionary with its category, lead region and member regions.
-- grain: code
with members as (
    select b.cluster_code, string_agg(b.region_code, ';' order by r.ord) as member_regions
    from bridge_cluster_region b
    join dim_region r on r.code = b.region_code
    where b.role = 'member'
    group by b.cluster_code
)
select c.code, c.name, c.name_en, c.tier, c.category, c.category_code, c.lead_region, m.member_regions,
       c.description
from dim_cluster c
left join members m on m.cluster_code = c.code
order by c.code
