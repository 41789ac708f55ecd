MATCH (n:__label__ {id: $id})
RETURN n
