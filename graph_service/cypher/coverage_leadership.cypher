// Leadership groups leading the area or an area under it, and the special working groups under them.
// Leadership groups lead only the city and districts, one PART_OF step apart.
MATCH (a:Area {id: $area_id})<-[:PART_OF*0..1]-(x:Area)
WHERE x.level IN ['city', 'district']
MATCH (x)<-[:LEADS]-(lg:Organization)
WHERE lg.kind = 'leadership_group'
OPTIONAL MATCH (lg)<-[:SUB_ORG_OF]-(wg:Organization)
WHERE wg.kind = 'working_group'
RETURN count(DISTINCT lg.id) AS leadership_groups, count(DISTINCT wg.id) AS working_groups
