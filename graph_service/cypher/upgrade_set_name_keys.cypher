// Set the sort key of named nodes ($rows: id, name_key).
UNWIND $rows AS r
MATCH (n:__label__ {id: r.id})
SET n.name_key = r.name_key
