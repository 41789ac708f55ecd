// Create one JOINS relationship (a unit joins a joint branch) with every property of the catalogue.
MATCH (a:Organization {id: $from_id})
MATCH (b:Organization {id: $to_id})
CREATE (a)-[r:JOINS {id: $id, start_date: $start_date, end_date: $end_date}]->(b)
RETURN r, a.id AS from_id, b.id AS to_id
