MATCH (a:__from__ {id: $id})-[r:__rel__]->(b:__to__)
RETURN r, a.id AS from_id, b.id AS to_id
