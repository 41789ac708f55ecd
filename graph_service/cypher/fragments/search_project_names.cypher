// fragment search_project_names
// Project names containing $text, at most $limit.
MATCH (n:Project) WHERE lower(n.name) CONTAINS $text
RETURN 'Project' AS label, n.id AS id, n.name AS name, n.name_key AS name_key
ORDER BY name_key, name, id LIMIT $limit
