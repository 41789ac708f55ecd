// fragment search_person_names
// Person names containing $text, at most $limit.
MATCH (n:Person) WHERE lower(n.name) CONTAINS $text
RETURN 'Person' AS label, n.id AS id, n.name AS name ORDER BY name, id LIMIT $limit
