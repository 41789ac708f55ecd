// Projection: units joining joint Party branches.
MATCH (a)-[r:JOINS]->(b)
WHERE true {{filters(r)}}
RETURN a.id AS source, b.id AS target, r.id AS id, r.start_date AS start_date, r.end_date AS end_date
