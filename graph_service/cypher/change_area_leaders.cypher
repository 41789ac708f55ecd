// The organisations that lead an area (LEADS), with their dissolution date: the change service's one-leader rule.
MATCH (o:Organization)-[r:LEADS]->(a:Area {id: $id})
RETURN r.id AS id, o.id AS org_id, o.dissolved AS dissolved
