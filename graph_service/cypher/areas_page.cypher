// A page of areas, by name (filters: fragments over a).
MATCH (a:Area)
WHERE true {{filters(a)}}
RETURN a
ORDER BY a.name, a.id
SKIP $offset LIMIT $limit
