MATCH (a:__from__ {id: $from_id})-[r:__rel__]->(b:__to__ {id: $to_id})
RETURN r, a.id AS from_id, b.id AS to_id
