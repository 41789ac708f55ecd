// Contract suite: a relationship with a float, a bool, an enum code and a date.
MATCH (o:Organization {id: $org})
MATCH (a:Area {id: $area})
CREATE (o)-[r:MANAGES {id: $id, mode: $mode, start_date: $start_date, fee_collection_rate: $rate, serve_first: $serve_first}]->(a)
RETURN r.id AS id
