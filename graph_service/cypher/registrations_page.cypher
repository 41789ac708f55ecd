// A page of dual check-ins (双报到): a unit's Party organisation or an in-service member x REGISTERED_WITH a
// community committee c.
MATCH (x)-[r:REGISTERED_WITH]->(c:Organization)
WHERE true {{filters(x, r, c)}}
RETURN r, x, c
ORDER BY r.start_date, r.id
SKIP $offset LIMIT $limit
