// Write every property of one LIAISES_WITH relationship (merged old and new values).
MATCH (a:Person {id: $from_id})-[r:LIAISES_WITH]->(b:Area {id: $to_id})
WHERE r.id = $id
SET r.role = $role,
    r.level = $level,
    r.start_date = $start_date,
    r.end_date = $end_date
RETURN r, a.id AS from_id, b.id AS to_id
