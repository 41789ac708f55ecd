// Write every property of one REGISTERED_WITH relationship (merged old and new values).
MATCH (a:__from__ {id: $from_id})-[r:REGISTERED_WITH]->(b:Organization {id: $to_id})
WHERE r.id = $id
SET r.start_date = $start_date,
    r.end_date = $end_date
RETURN r, a.id AS from_id, b.id AS to_id
