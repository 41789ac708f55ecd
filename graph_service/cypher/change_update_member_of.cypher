// Write every property of one MEMBER_OF relationship (merged old and new values).
MATCH (a:Person {id: $from_id})-[r:MEMBER_OF]->(b:Organization {id: $to_id})
WHERE r.id = $id
SET r.post = $post,
    r.start_date = $start_date,
    r.end_date = $end_date,
    r.full_time = $full_time,
    r.member_status = $member_status
RETURN r, a.id AS from_id, b.id AS to_id
