// Any one domain node: an empty store returns no row.
MATCH (n)
WHERE label(n) IN ['Area', 'Organization', 'Person', 'Project', 'Appeal']
RETURN n.id AS id
LIMIT 1
