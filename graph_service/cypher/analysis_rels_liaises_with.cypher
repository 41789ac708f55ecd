// Projection: deputies and committee members serving communities.
MATCH (a)-[r:LIAISES_WITH]->(b)
WHERE true {{filters(r)}}
RETURN a.id AS source, b.id AS target, r.id AS id, r.role AS role, r.level AS level, r.start_date AS start_date,
       r.end_date AS end_date
