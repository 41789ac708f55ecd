// Write every property of one PAIRED_WITH relationship (merged old and new values).
MATCH (a:Organization)-[r:PAIRED_WITH {id: $id}]->(b:Organization)
SET r.start_date = $start_date,
    r.end_date = $end_date,
    r.projects = $projects,
    r.resources = $resources
RETURN r, a.id AS from_id, b.id AS to_id
