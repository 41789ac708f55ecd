// A page of activities of organisational life a, each HELD_BY its organisation o, newest first (filters over a, o).
MATCH (a:Activity)-[:HELD_BY]->(o:Organization)
WHERE true {{filters(a, o)}}
RETURN a
ORDER BY a.held_on DESC, a.id
SKIP $offset LIMIT $limit
