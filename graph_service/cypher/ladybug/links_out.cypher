// Outgoing relationships of one type from a batch of nodes, with the node at the other end (dataloader).
// LadybugDB: the list as a filter on a scan (see links_in); a few keys run as ladybug_links_out_key.
MATCH (s:__source__)-[r:__rel__]->(t:__target__)
WHERE s.id IN $ids
RETURN s.id AS key, r, t
