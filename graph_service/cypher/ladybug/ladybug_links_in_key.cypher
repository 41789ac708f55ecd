// Incoming relationships of one type into the node $key, with the node at the other end: a primary-key lookup
// (the store runs it once per key of a small batch, joined by UNION ALL).
MATCH (x:__target__ {id: $key})<-[r:__rel__]-(t:__source__)
RETURN x.id AS key, r, t
