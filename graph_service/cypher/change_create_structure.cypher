// Create a relationship that carries only its id: structure (PART_OF, SUB_ORG_OF, LEADS) and an activity's
// HELD_BY and ATTENDED.
MATCH (a:__from__ {id: $from_id})
MATCH (b:__to__ {id: $to_id})
CREATE (a)-[r:__rel__ {id: $id}]->(b)
RETURN r, a.id AS from_id, b.id AS to_id
