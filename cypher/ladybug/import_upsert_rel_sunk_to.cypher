// Generated from graph_service/domain/schema.py by `graph-service schema ddl`. Do not edit.
UNWIND $rows AS r
MATCH (a:__from__ {id: r.from_id})
MATCH (b:__to__ {id: r.to_id})
MERGE (a)-[x:SUNK_TO {id: r.id}]->(b)
SET x.role = CAST(r.role AS STRING),
    x.start_date = CAST(r.start_date AS DATE),
    x.end_date = CAST(r.end_date AS DATE)
