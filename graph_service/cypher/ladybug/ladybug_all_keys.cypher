// LadybugStore.bulk_load_nodes: every stored key of a label, read as Arrow to find clashes with a large load.
MATCH (n:__label__)
RETURN n.id AS key
