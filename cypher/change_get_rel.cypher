MATCH (a:__from__)-[r:__rel__ {id: $id}]->(b:__to__)
RETURN r, a AS source, b AS target, a.id AS from_id, b.id AS to_id
