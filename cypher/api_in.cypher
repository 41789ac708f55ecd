// Incoming relationships of one type into a batch of nodes, with the node at the other end (dataloader).
UNWIND $ids AS key
MATCH (t:__target__ {id: key})<-[r:__rel__]-(s:__source__)
RETURN key, r, s AS t
