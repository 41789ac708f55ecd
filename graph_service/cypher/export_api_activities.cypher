// One batch of activities (keyset on the id) with the organisation that held each: Popolo Events.
MATCH (a:Activity)
WHERE a.id > $after
WITH a
ORDER BY a.id
LIMIT $limit
OPTIONAL MATCH (a)-[:HELD_BY]->(o:Organization)
RETURN a.id AS id, a.kind AS kind, a.held_on AS held_on, a.attendance AS attendance, a.topic AS topic,
       o.id AS organization_id, o.name AS organization_name
ORDER BY id
