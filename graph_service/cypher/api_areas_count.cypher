// How many areas match (the same WHERE as api_areas).
MATCH (a:Area)
WHERE ($level = '' OR a.level = $level)
  AND ($parent = '' OR EXISTS { MATCH (a)-[:PART_OF]->(:Area {id: $parent}) })
  AND ($name = '' OR lower(a.name) CONTAINS $name)
  AND (a.abolished IS NULL OR $include_abolished)
RETURN count(a) AS total
