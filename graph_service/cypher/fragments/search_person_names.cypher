// fragment search_person_names
// Person names containing $text, at most $limit.
MATCH (n:Person) WHERE lower(n.name) CONTAINS $text
RETURN 'Person' AS label, n.id AS id, n.name AS name, n.name_key AS name_key
ORDER BY name_key, name, id LIMIT $limit
