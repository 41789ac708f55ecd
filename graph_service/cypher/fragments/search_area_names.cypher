// fragment search_area_names
// Area names containing $text, at most $limit, in natural order (domain/naming.py).
MATCH (n:Area) WHERE lower(n.name) CONTAINS $text
RETURN 'Area' AS label, n.id AS id, n.name AS name, n.name_key AS name_key
ORDER BY name_key, name, id LIMIT $limit
