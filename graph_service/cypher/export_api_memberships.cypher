// One batch of posts held (keyset on the relationship id).
MATCH (p:Person)-[m:MEMBER_OF]->(o:Organization)
WHERE m.id > $after
RETURN m.id AS id, p.id AS person_id, o.id AS organization_id, m.post AS post, m.start_date AS start_date,
       m.end_date AS end_date, m.full_time AS full_time
ORDER BY id
LIMIT $limit
