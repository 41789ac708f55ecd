// Projection: every activity of organisational life, one bulk read.
MATCH (n:Activity)
WHERE true {{filters(n)}}
RETURN n.id AS id, n.kind AS kind, n.held_on AS held_on, n.attendance AS attendance, n.topic AS topic
