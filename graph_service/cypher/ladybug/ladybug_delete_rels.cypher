// Undo of a failed bulk import: relationships it inserted between nodes that were already there.
UNWIND $rows AS r
MATCH (a:__from__ {id: r.from_id})-[x:__rel__ {id: r.id}]->(b:__to__ {id: r.to_id})
DELETE x
