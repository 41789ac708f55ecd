// Every ancestor of the node $key along one hierarchy relationship, each once at its shortest distance: a
// primary-key lookup (the store runs it once per key of a small batch, joined by UNION ALL).
MATCH path = (a:__label__ {id: $key})-[:__rel__* SHORTEST 1..10]->(t:__label__)
RETURN a.id AS key, t, length(path) AS hops
