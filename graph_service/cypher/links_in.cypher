// Incoming relationships of one type into a batch of nodes, with the node at the other end (dataloader).
// The far node is fetched again by id (see links_out).
UNWIND $ids AS key
MATCH (x:__target__ {id: key})<-[r:__rel__]-(s:__source__)
WITH key, r, s.id AS far
MATCH (t:__source__ {id: far})
RETURN key, r, t
