// How many registrations match (the same WHERE as api_registrations).
MATCH (x)-[r:REGISTERED_WITH]->(c:Organization)
WHERE ($kind = '' OR $kind IN labels(x))
  AND ($registrant = '' OR x.id = $registrant)
  AND ($community = '' OR c.id = $community OR EXISTS { MATCH (c)-[:LEADS]->(:Area {id: $community}) })
  AND ($district = '' OR EXISTS { MATCH (c)-[:LEADS]->(:Area)-[:PART_OF*1..3]->(:Area {id: $district}) })
  AND ($use_active_on = false OR ((r.start_date IS NULL OR r.start_date <= $active_on) AND (r.end_date IS NULL OR r.end_date >= $active_on)))
  AND ($use_started_after = false OR r.start_date > $started_after)
RETURN count(r) AS total
