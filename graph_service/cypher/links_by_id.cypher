// Relationships of one type by id, with both ends (node lookups of memberships, pairings, registrations).
UNWIND $ids AS key
MATCH (s:__source__)-[r:__rel__ {id: key}]->(t:__target__)
RETURN key, r, s, t
