// A page of co-construction pairings (unit Party organisation -> community committee) by an integration's filters.
MATCH (u:Organization)-[r:PAIRED_WITH]->(c:Organization)
WHERE ($unit_type = '' OR u.unit_type = $unit_type)
  AND ($unit = '' OR u.id = $unit)
  AND ($community = '' OR c.id = $community OR EXISTS { MATCH (c)-[:LEADS]->(:Area {id: $community}) })
  AND ($district = '' OR EXISTS { MATCH (c)-[:LEADS]->(:Area)-[:PART_OF*1..3]->(:Area {id: $district}) })
  AND ($use_active_on = false OR ((r.start_date IS NULL OR r.start_date <= $active_on) AND (r.end_date IS NULL OR r.end_date >= $active_on)))
  AND ($use_started_after = false OR r.start_date > $started_after)
RETURN r, u, c
ORDER BY r.start_date, r.id
SKIP $offset LIMIT $limit
