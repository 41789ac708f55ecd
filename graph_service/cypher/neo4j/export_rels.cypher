MATCH (a)-[r:__rel__]->(b)
RETURN a.id AS from_id, labels(a)[0] AS from_label, b.id AS to_id, labels(b)[0] AS to_label, r AS rel
