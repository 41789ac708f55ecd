// Write every property of one MEMBER_OF relationship (merged old and new values).
MATCH (a:Person)-[r:MEMBER_OF {id: $id}]->(b:Organization)
SET r.post = $post,
    r.start_date = $start_date,
    r.end_date = $end_date,
    r.full_time = $full_time
RETURN r, a.id AS from_id, b.id AS to_id
