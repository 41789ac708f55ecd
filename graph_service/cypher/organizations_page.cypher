// A page of organisations, by name (filters: fragments over o).
MATCH (o:Organization)
WHERE true {{filters(o)}}
RETURN o
ORDER BY o.name, o.id
SKIP $offset LIMIT $limit
