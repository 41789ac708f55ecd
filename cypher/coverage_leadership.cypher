// Leadership groups leading the area or an area under it, and the special working groups under them.
MATCH (a:Area {id: $area_id})
MATCH (x:Area)-[:PART_OF*0..5]->(a)
WHERE x.level IN ['city', 'district']
MATCH (lg:Organization {kind: 'leadership_group'})-[:LEADS]->(x)
OPTIONAL MATCH (wg:Organization {kind: 'working_group'})-[:SUB_ORG_OF]->(lg)
RETURN count(DISTINCT lg.id) AS leadership_groups, count(DISTINCT wg.id) AS working_groups
