// A page of co-construction pairings (结对共建): a unit's Party organisation u PAIRED_WITH a community committee c.
MATCH (u:Organization)-[r:PAIRED_WITH]->(c:Organization)
WHERE true {{filters(u, r, c)}}
RETURN r, u, c
ORDER BY r.start_date, r.id
SKIP $offset LIMIT $limit
