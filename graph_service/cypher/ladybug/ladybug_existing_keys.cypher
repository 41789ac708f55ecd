// LadybugStore.bulk_load_nodes: which of the keys about to be loaded exist already (at most a few, for the message).
UNWIND $keys AS k
MATCH (n:__label__ {id: k})
RETURN n.id AS key
LIMIT 5
