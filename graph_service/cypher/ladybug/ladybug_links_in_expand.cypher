// Incoming relationships of one type into a batch of nodes, with the node at the other end: the keys looked up by
// primary key, the relationships expanded from the nodes found (a key with none gives a row with r null, which the
// store drops). One of the forms store.embedded.read_keyed times and picks from.
UNWIND $ids AS key
MATCH (x:__target__ {id: key})
OPTIONAL MATCH (x)<-[r:__rel__]-(t:__source__)
RETURN x.id AS key, r, t
