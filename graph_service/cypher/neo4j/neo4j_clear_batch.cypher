// Neo4jStore.clear_all (tests): delete a batch of nodes, keeping the write version so caches never go back.
MATCH (n)
WHERE NOT n:Meta
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted
