// Finding a relationship by id alone scans its table (no index on relationship properties in LadybugDB);
// later statements of a change match it through its ends' primary keys instead.
MATCH (a:__from__)-[r:__rel__ {id: $id}]->(b:__to__)
RETURN r, a.id AS from_id, b.id AS to_id
