// A page of areas by level and parent, by name.
MATCH (a:Area)
WHERE ($level = '' OR a.level = $level)
  AND ($parent = '' OR EXISTS { MATCH (a)-[:PART_OF]->(:Area {id: $parent}) })
  AND ($name = '' OR lower(a.name) CONTAINS $name)
  AND (a.abolished IS NULL OR $include_abolished)
RETURN a
ORDER BY a.name, a.id
SKIP $offset LIMIT $limit
