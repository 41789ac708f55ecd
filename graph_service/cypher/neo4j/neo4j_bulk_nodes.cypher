// Bulk path of Neo4jStore.bulk_load_nodes: one batch of new nodes; null values are simply not stored.
UNWIND $rows AS row
CREATE (n:__label__)
SET n = row
