// Undo of a failed bulk import: the nodes it inserted, with their relationships.
UNWIND $ids AS i
MATCH (n:__label__ {id: i})
DETACH DELETE n
