// Projection: volunteer projects claimed by members.
MATCH (a)-[r:CLAIMED]->(b)
WHERE true {{filters(r)}}
RETURN a.id AS source, b.id AS target, r.id AS id, r.claimed_on AS claimed_on
