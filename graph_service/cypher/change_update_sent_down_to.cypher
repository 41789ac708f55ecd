// Write every property of one SENT_DOWN_TO relationship (merged old and new values).
MATCH (a:Person {id: $from_id})-[r:SENT_DOWN_TO]->(b:Area {id: $to_id})
WHERE r.id = $id
SET r.duty = $duty,
    r.start_date = $start_date,
    r.end_date = $end_date
RETURN r, a.id AS from_id, b.id AS to_id
