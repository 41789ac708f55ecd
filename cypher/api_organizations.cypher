// A page of organisations by kind, unit type, name and the area they lead, sit in, serve or cover.
MATCH (o:Organization)
WHERE ($kind = '' OR o.kind = $kind)
  AND ($unit_type = '' OR o.unit_type = $unit_type)
  AND ($name = '' OR lower(o.name) CONTAINS $name)
  AND ($area = '' OR EXISTS { MATCH (o)-[:LEADS|LOCATED_IN|SERVES|COVERS]->(x:Area) WHERE x.id = $area OR EXISTS { MATCH (x)-[:PART_OF*1..5]->(:Area {id: $area}) } })
  AND (o.dissolved IS NULL OR $include_dissolved)
RETURN o
ORDER BY o.name, o.id
SKIP $offset LIMIT $limit
