MATCH (a)-[r:__rel__]->(b)
RETURN r.id AS id, a.id AS src, b.id AS dst, a AS source, r.start_date AS start_date
ORDER BY id
