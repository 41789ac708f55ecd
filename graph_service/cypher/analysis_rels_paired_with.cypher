// Projection: co-construction pairings.
MATCH (a)-[r:PAIRED_WITH]->(b)
WHERE true {{filters(r)}}
RETURN a.id AS source, b.id AS target, r.id AS id, r.start_date AS start_date, r.end_date AS end_date,
       r.projects AS projects, r.resources AS resources
