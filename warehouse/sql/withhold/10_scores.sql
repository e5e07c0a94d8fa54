-- Composite scores and ranks withheld in a release ([disclosure] scores = "withheld"; issue 17): every cluster keeps
-- its row and its own figures (output, employment, size band, indicators), without a score or a rank, its note
-- saying why; every table made of scores (pillar and index scores, rank intervals, sensitivity, change and its
-- contributions, strengths and weaknesses, peer groups, scores under earlier methodologies) is emptied.
update mart_cluster_score set score = null, rank = null, n_ranked = null, note = 'withheld';
delete from mart_cluster_aggregate;
delete from mart_cluster_rank_interval;
delete from mart_score_sensitivity;
delete from mart_cluster_score_change;
delete from mart_cluster_score_contribution;
delete from mart_cluster_strengths_weaknesses;
delete from mart_cluster_peer;
delete from mart_cluster_score_history;
