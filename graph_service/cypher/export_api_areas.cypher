// One batch of areas (keyset on the id) with the area each lies in.
MATCH (a:Area)
WHERE a.id > $after
WITH a
ORDER BY a.id
LIMIT $limit
OPTIONAL MATCH (a)-[:PART_OF]->(parent:Area)
RETURN a.id AS id, a.name AS name, a.level AS level, a.code AS code, a.abolished AS abolished,
       parent.id AS parent_id
ORDER BY id
