// Outgoing relationships of one type from a batch of nodes, with the node at the other end (dataloader).
UNWIND $ids AS key
MATCH (s:__source__ {id: key})-[r:__rel__]->(t:__target__)
RETURN key, r, t
