// Nodes of one label by id, for a batch of ids (dataloader).
UNWIND $ids AS key
MATCH (n:__label__ {id: key})
RETURN key, n
