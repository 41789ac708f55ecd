// Every ancestor of a batch of nodes along one hierarchy relationship, with its distance (dataloader).
// Ancestors are fetched again by id (see links_out).
UNWIND $ids AS key
MATCH path = (a:__label__ {id: key})-[:__rel__*1..10]->(p:__label__)
WITH key, p.id AS far, length(path) AS hops
MATCH (t:__label__ {id: far})
RETURN key, t, hops
