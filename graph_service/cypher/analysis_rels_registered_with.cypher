// Projection: dual check-in of units' Party organisations and of in-service members.
MATCH (a)-[r:REGISTERED_WITH]->(b)
WHERE true {{filters(r)}}
RETURN a.id AS source, b.id AS target, r.id AS id, r.start_date AS start_date, r.end_date AS end_date
