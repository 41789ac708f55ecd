// End a relationship: its history stays, with the last day in force.
MATCH (a:__from__ {id: $from_id})-[r:__rel__]->(b:__to__ {id: $to_id})
WHERE r.id = $id
SET r.end_date = $end_date
RETURN r, a.id AS from_id, b.id AS to_id
