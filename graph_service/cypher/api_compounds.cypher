// A page of compounds matching a planner's filters (see api_compounds_count for the same filters counted).
// Empty strings and 0 mean "no filter": LadybugDB types a null parameter as BOOL, so no nulls are passed.
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
RETURN c
// Each sort key in parentheses: LadybugDB's parser refuses `END, CASE` otherwise.
ORDER BY (CASE WHEN $order_field = 'households' THEN coalesce(c.households, 0) * $sign ELSE 0 END),
         (CASE WHEN $reverse = true THEN '' ELSE c.name END),
         (CASE WHEN $reverse = true THEN c.name ELSE '' END) DESC,
         c.id
SKIP $offset LIMIT $limit
