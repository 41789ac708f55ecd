// A page of dual check-ins (双报到): units' Party organisations and in-service members registered with a community committee.
// Neo4j: labels(x) instead of LadybugDB's label(x).
MATCH (x)-[r:REGISTERED_WITH]->(c:Organization)
WHERE ($kind = '' OR $kind IN labels(x))
  AND ($registrant = '' OR x.id = $registrant)
  AND ($community = '' OR c.id = $community OR EXISTS { MATCH (c)-[:LEADS]->(:Area {id: $community}) })
  AND ($district = '' OR EXISTS { MATCH (c)-[:LEADS]->(:Area)-[:PART_OF*1..3]->(:Area {id: $district}) })
  AND ($use_active_on = false OR ((r.start_date IS NULL OR r.start_date <= $active_on) AND (r.end_date IS NULL OR r.end_date >= $active_on)))
  AND ($use_started_after = false OR r.start_date > $started_after)
RETURN r, x, c
ORDER BY r.start_date, r.id
SKIP $offset LIMIT $limit
