// Projection: every appeal, one bulk read.
MATCH (n:Appeal)
WHERE true {{filters(n)}}
RETURN n.id AS id, n.summary AS summary, n.received AS received, n.status AS status, n.resolved AS resolved
