// A page of the people holding (or having held) a post, by id (filters: fragments over p).
MATCH (p:Person)-[:MEMBER_OF]->(:Organization)
WITH DISTINCT p
WHERE true {{filters(p)}}
RETURN p
ORDER BY p.id
SKIP $offset LIMIT $limit
