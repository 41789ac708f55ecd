// A page of organisations, by name in natural order (its sort key, then the name; filters: fragments over o).
MATCH (o:Organization)
WHERE true {{filters(o)}}
RETURN o
ORDER BY o.name_key, o.name, o.id
SKIP $offset LIMIT $limit
