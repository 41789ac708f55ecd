// Leadership groups leading the area or an area under it, and the special working groups under them.
// Starts from the few leadership groups rather than from every area under the area.
MATCH (lg:Organization {kind: 'leadership_group'})-[:LEADS]->(x:Area)
MATCH (x)-[:PART_OF*0..5]->(a:Area {id: $area_id})
OPTIONAL MATCH (wg:Organization {kind: 'working_group'})-[:SUB_ORG_OF]->(lg)
RETURN count(DISTINCT lg.id) AS leadership_groups, count(DISTINCT wg.id) AS working_groups
