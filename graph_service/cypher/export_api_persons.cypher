// One batch of people with their names only (never contact data), for roles allowed to see names.
MATCH (p:Person)
WHERE p.id > $after
RETURN p.id AS id, p.name AS name
ORDER BY id
LIMIT $limit
