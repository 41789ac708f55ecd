// How many names contain a text, per label (the same matches as api_search).
MATCH (n:Area) WHERE lower(n.name) CONTAINS $text RETURN count(n) AS total
UNION ALL
MATCH (n:Organization) WHERE lower(n.name) CONTAINS $text RETURN count(n) AS total
UNION ALL
MATCH (n:Project) WHERE lower(n.name) CONTAINS $text RETURN count(n) AS total
UNION ALL
MATCH (n:Person) WHERE $people AND lower(n.name) CONTAINS $text RETURN count(n) AS total
