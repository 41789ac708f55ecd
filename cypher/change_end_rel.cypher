// End a relationship: its history stays, with the last day in force.
MATCH (a:__from__)-[r:__rel__ {id: $id}]->(b:__to__)
SET r.end_date = $end_date
RETURN r, a.id AS from_id, b.id AS to_id
