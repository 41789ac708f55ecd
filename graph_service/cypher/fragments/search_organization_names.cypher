// fragment search_organization_names
// Organization names containing $text, at most $limit.
MATCH (n:Organization) WHERE lower(n.name) CONTAINS $text
RETURN 'Organization' AS label, n.id AS id, n.name AS name, n.name_key AS name_key
ORDER BY name_key, name, id LIMIT $limit
