// Incoming relationships of one type into a batch of nodes, with the node at the other end (dataloader).
// LadybugDB: the list as a filter on a scan; `UNWIND $ids ... {id: key}` before a traversal is planned as a hash
// join over the whole relationship table (store.embedded.KEYED_UNION_MAX). A few keys run as ladybug_links_in_key.
MATCH (x:__target__)<-[r:__rel__]-(t:__source__)
WHERE x.id IN $ids
RETURN x.id AS key, r, t
