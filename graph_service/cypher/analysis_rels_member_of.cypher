// Projection: posts and memberships over time.
MATCH (a)-[r:MEMBER_OF]->(b)
WHERE true {{filters(r)}}
RETURN a.id AS source, b.id AS target, r.id AS id, r.post AS post, r.start_date AS start_date,
       r.end_date AS end_date, r.full_time AS full_time, r.member_status AS member_status
