// Create one MEMBER_OF relationship with every property of the catalogue.
MATCH (a:Person {id: $from_id})
MATCH (b:Organization {id: $to_id})
CREATE (a)-[r:MEMBER_OF {id: $id, post: $post, start_date: $start_date, end_date: $end_date, full_time: $full_time, member_status: $member_status}]->(b)
RETURN r, a.id AS from_id, b.id AS to_id
