// fragment search_area_names
// Area names containing $text, at most $limit.
MATCH (n:Area) WHERE lower(n.name) CONTAINS $text
RETURN 'Area' AS label, n.id AS id, n.name AS name ORDER BY name, id LIMIT $limit
