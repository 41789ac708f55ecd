// Every node of one label, for export and the import's view of the store.
MATCH (n:__label__)
RETURN n
