-- Clusters by the province's output size bands in a year.
-- grain: size_band
with scores as (
    select * from mart_cluster_score where year = $year and size_band is not null
),
final as (
    select size_band, count(*) as clusters, sum(output_value) as output_value,
           min(output_value) as band_min
    from scores
    group by size_band
)
select size_band, clusters, output_value, clusters / sum(clusters) over () as share
from final
order by band_min
