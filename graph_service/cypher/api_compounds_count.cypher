// How many compounds match a planner's filters (the same WHERE as api_compounds).
MATCH (c:Area {level: 'compound'})
WHERE ($district = '' OR EXISTS { MATCH (c)-[:PART_OF*1..3]->(:Area {id: $district}) })
  AND ($street = '' OR EXISTS { MATCH (c)-[:PART_OF*1..2]->(:Area {id: $street}) })
  AND ($community = '' OR EXISTS { MATCH (c)-[:PART_OF]->(:Area {id: $community}) })
  AND ($kind = '' OR c.compound_kind = $kind)
  AND ($name = '' OR lower(c.name) CONTAINS $name)
  AND ($mode = '' OR EXISTS {
        MATCH (c)<-[m:MANAGES]-(:Organization)
        WHERE m.mode = $mode AND (m.end_date IS NULL OR m.end_date >= $today) })
  AND (c.abolished IS NULL OR $include_abolished)
  // Gap flags arrive as id lists computed by the api_compound_gap_* queries (LadybugDB evaluates every
  // branch of an OR, so costly subqueries here would run even when their flag is off).
  AND ($use_keep = false OR c.id IN $keep_ids)
  AND NOT c.id IN $drop_ids
RETURN count(c) AS total
