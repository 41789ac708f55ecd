// Set the sort key of named nodes ($rows: an Arrow table of id, name_key).
LOAD FROM $rows
MATCH (n:__label__ {id: id})
SET n.name_key = name_key
