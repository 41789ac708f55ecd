// The nodes of one label among $ids (the import checks endpoints and compares with the store in bulk).
UNWIND $ids AS i
MATCH (n:__label__ {id: i})
RETURN n
