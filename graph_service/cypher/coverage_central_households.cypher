// Active Party-member central households located in a building under the area.
MATCH (a:Area {id: $area_id})<-[:PART_OF*0..5]-(b:Area)
WHERE b.level = 'building'
MATCH (b)<-[:LOCATED_IN]-(h:Organization)
WHERE h.kind = 'central_household' AND h.dissolved IS NULL
RETURN count(DISTINCT h.id) AS central_households
