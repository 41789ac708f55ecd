// Active building Party groups covering a building under the area.
MATCH (a:Area {id: $area_id})<-[:PART_OF*0..5]-(b:Area)
WHERE b.level = 'building'
MATCH (b)<-[:COVERS]-(g:Organization)
WHERE g.kind = 'building_group' AND g.dissolved IS NULL
RETURN count(DISTINCT g.id) AS building_groups
