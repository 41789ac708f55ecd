MATCH (a:__from__)-[r:__rel__]->(b:__to__ {id: $id})
RETURN r, a.id AS from_id, b.id AS to_id
