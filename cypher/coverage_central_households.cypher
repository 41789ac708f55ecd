// Active Party-member central households located in a building under the area.
MATCH (a:Area {id: $area_id})
MATCH (b:Area {level: 'building'})-[:PART_OF*0..5]->(a)
MATCH (h:Organization {kind: 'central_household'})-[:LOCATED_IN]->(b)
WHERE h.dissolved IS NULL
RETURN count(DISTINCT h.id) AS central_households
