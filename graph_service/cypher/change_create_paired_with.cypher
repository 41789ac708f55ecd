// Create one PAIRED_WITH relationship with every property of the catalogue.
MATCH (a:Organization {id: $from_id})
MATCH (b:Organization {id: $to_id})
CREATE (a)-[r:PAIRED_WITH {id: $id, start_date: $start_date, end_date: $end_date, projects: $projects, resources: $resources}]->(b)
RETURN r, a.id AS from_id, b.id AS to_id
