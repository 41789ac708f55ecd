// Compounds with at least one building no active building Party group covers (the gap itself).
MATCH (c:Area {level: 'compound'})<-[:PART_OF]-(bd:Area {level: 'building'})
WHERE NOT EXISTS { MATCH (bd)<-[:COVERS]-(g:Organization {kind: 'building_group'}) WHERE g.dissolved IS NULL }
RETURN DISTINCT c.id AS id
