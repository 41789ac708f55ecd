// Every named node of one label with its stored sort key, to find the keys an earlier version did not write.
MATCH (n:__label__)
RETURN n.id AS id, n.name AS name, n.name_key AS name_key
