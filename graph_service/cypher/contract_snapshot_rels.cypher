// Every relationship of a type between two labels (see change_snapshot_nodes).
MATCH (a:__from__)-[r:__rel__]->(b:__to__)
RETURN r, a.id AS from_id, b.id AS to_id
