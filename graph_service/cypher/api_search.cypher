// Names containing a text, across areas, organisations, projects and (when $people) people; at most $limit per label.
// Each branch returns the same columns so that UNION ALL accepts them; the API loads the nodes it shows.
MATCH (n:Area) WHERE lower(n.name) CONTAINS $text
RETURN 'Area' AS label, n.id AS id, n.name AS name ORDER BY name, id LIMIT $limit
UNION ALL
MATCH (n:Organization) WHERE lower(n.name) CONTAINS $text
RETURN 'Organization' AS label, n.id AS id, n.name AS name ORDER BY name, id LIMIT $limit
UNION ALL
MATCH (n:Project) WHERE lower(n.name) CONTAINS $text
RETURN 'Project' AS label, n.id AS id, n.name AS name ORDER BY name, id LIMIT $limit
UNION ALL
MATCH (n:Person) WHERE $people AND lower(n.name) CONTAINS $text
RETURN 'Person' AS label, n.id AS id, n.name AS name ORDER BY name, id LIMIT $limit
