// Create one SENT_DOWN_TO relationship (a cadre sent down to a community) with every property of the catalogue.
MATCH (a:Person {id: $from_id})
MATCH (b:Area {id: $to_id})
CREATE (a)-[r:SENT_DOWN_TO {id: $id, duty: $duty, start_date: $start_date, end_date: $end_date}]->(b)
RETURN r, a.id AS from_id, b.id AS to_id
