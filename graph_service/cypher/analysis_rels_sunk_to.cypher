// Projection: community staff sunk to compounds.
MATCH (a)-[r:SUNK_TO]->(b)
WHERE true {{filters(r)}}
RETURN a.id AS source, b.id AS target, r.id AS id, r.role AS role, r.start_date AS start_date, r.end_date AS end_date
