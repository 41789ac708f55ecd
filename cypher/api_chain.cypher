// Every ancestor of a batch of nodes along one hierarchy relationship, with its distance (dataloader).
UNWIND $ids AS key
MATCH path = (a:__label__ {id: key})-[:__rel__*1..10]->(p:__label__)
RETURN key, p AS t, length(path) AS hops
