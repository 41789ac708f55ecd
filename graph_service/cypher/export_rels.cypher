// Every relationship of one type with its two ends (id and label): export and the import's view of the store.
MATCH (a)-[r:__rel__]->(b)
RETURN a.id AS from_id, label(a) AS from_label, b.id AS to_id, label(b) AS to_label, r AS rel
