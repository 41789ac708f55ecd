// One batch of organisations (keyset on the id) with the parent each reports to and the area it leads.
MATCH (o:Organization)
WHERE o.id > $after
WITH o
ORDER BY o.id
LIMIT $limit
OPTIONAL MATCH (o)-[:SUB_ORG_OF]->(parent:Organization)
OPTIONAL MATCH (o)-[:LEADS]->(area:Area)
RETURN o.id AS id, o.name AS name, o.kind AS kind, o.unit_type AS unit_type, o.founded AS founded,
       o.dissolved AS dissolved, parent.id AS parent_id, area.id AS area_id
ORDER BY id
