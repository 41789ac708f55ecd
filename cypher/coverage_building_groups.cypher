// Active building Party groups covering a building under the area.
MATCH (a:Area {id: $area_id})
MATCH (b:Area {level: 'building'})-[:PART_OF*0..5]->(a)
MATCH (g:Organization {kind: 'building_group'})-[:COVERS]->(b)
WHERE g.dissolved IS NULL
RETURN count(DISTINCT g.id) AS building_groups
