// Projection: cadres sent down to communities.
MATCH (a)-[r:SENT_DOWN_TO]->(b)
WHERE true {{filters(r)}}
RETURN a.id AS source, b.id AS target, r.id AS id, r.duty AS duty, r.start_date AS start_date, r.end_date AS end_date
