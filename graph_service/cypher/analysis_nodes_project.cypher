// Projection: every project, one bulk read.
MATCH (n:Project)
WHERE true {{filters(n)}}
RETURN n.id AS id, n.kind AS kind, n.name AS name, n.need AS need, n.created AS created
