// One batch of dual check-ins from one kind of registrant (keyset on the relationship id).
MATCH (a:__from__)-[r:REGISTERED_WITH]->(c:Organization)
WHERE r.id > $after
RETURN r.id AS id, a.id AS member_id, c.id AS organization_id, r.start_date AS start_date, r.end_date AS end_date
ORDER BY id
LIMIT $limit
