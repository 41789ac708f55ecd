// Undo of a bulk load into a store that held no domain node: every node of one label, with its relationships.
MATCH (n:__label__)
DETACH DELETE n
