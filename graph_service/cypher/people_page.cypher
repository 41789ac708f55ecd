// A page of people, by id (filters: fragments over p).
MATCH (p:Person)
WHERE true {{filters(p)}}
RETURN p
ORDER BY p.id
SKIP $offset LIMIT $limit
