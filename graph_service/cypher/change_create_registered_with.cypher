// Create one REGISTERED_WITH relationship with every property of the catalogue.
MATCH (a:__from__ {id: $from_id})
MATCH (b:Organization {id: $to_id})
CREATE (a)-[r:REGISTERED_WITH {id: $id, start_date: $start_date, end_date: $end_date}]->(b)
RETURN r, a.id AS from_id, b.id AS to_id
