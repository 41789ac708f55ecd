// Write every property of one REGISTERED_WITH relationship (merged old and new values).
MATCH (a:__from__)-[r:REGISTERED_WITH {id: $id}]->(b:Organization)
SET r.start_date = $start_date,
    r.end_date = $end_date
RETURN r, a.id AS from_id, b.id AS to_id
