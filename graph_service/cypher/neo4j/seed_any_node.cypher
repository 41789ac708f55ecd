// Any one domain node: an empty store returns no row.
MATCH (n)
WHERE n:Area OR n:Organization OR n:Person OR n:Project OR n:Appeal
RETURN n.id AS id
LIMIT 1
