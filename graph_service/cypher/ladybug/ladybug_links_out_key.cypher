// Outgoing relationships of one type from the node $key, with the node at the other end: a primary-key lookup
// (the store runs it once per key of a small batch, joined by UNION ALL).
MATCH (s:__source__ {id: $key})-[r:__rel__]->(t:__target__)
RETURN s.id AS key, r, t
