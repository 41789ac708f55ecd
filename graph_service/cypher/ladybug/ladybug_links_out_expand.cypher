// Outgoing relationships of one type from a batch of nodes, with the node at the other end: the keys looked up by
// primary key, the relationships expanded from the nodes found (a key with none gives a row with r null, which the
// store drops). One of the forms store.embedded.read_keyed times and picks from.
UNWIND $ids AS key
MATCH (s:__source__ {id: key})
OPTIONAL MATCH (s)-[r:__rel__]->(t:__target__)
RETURN s.id AS key, r, t
