// A page of areas, by name in natural order (its sort key, then the name; filters: fragments over a).
MATCH (a:Area)
WHERE true {{filters(a)}}
RETURN a
ORDER BY a.name_key, a.name, a.id
SKIP $offset LIMIT $limit
