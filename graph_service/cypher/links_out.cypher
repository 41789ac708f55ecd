// Outgoing relationships of one type from a batch of nodes, with the node at the other end (dataloader).
// The far node is fetched again by id: LadybugDB materialises a node reached by traversal far more slowly
// than one found by its primary key (bench/bench_api.py; about twice as fast at scale 1).
UNWIND $ids AS key
MATCH (s:__source__ {id: key})-[r:__rel__]->(x:__target__)
WITH key, r, x.id AS far
MATCH (t:__target__ {id: far})
RETURN key, r, t
