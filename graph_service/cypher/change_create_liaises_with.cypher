// Create one LIAISES_WITH relationship (a deputy or committee member serving a community) with every property.
MATCH (a:Person {id: $from_id})
MATCH (b:Area {id: $to_id})
CREATE (a)-[r:LIAISES_WITH {id: $id, role: $role, level: $level, start_date: $start_date, end_date: $end_date}]->(b)
RETURN r, a.id AS from_id, b.id AS to_id
