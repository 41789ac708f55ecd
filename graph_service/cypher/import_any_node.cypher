MATCH (n:__label__)
RETURN n.id AS id
LIMIT 1
