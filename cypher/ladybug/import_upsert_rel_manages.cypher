// Generated from graph_service/domain/schema.py by `graph-service schema ddl`. Do not edit.
UNWIND $rows AS r
MATCH (a:__from__ {id: r.from_id})
MATCH (b:__to__ {id: r.to_id})
MERGE (a)-[x:MANAGES {id: r.id}]->(b)
SET x.mode = CAST(r.mode AS STRING),
    x.start_date = CAST(r.start_date AS DATE),
    x.end_date = CAST(r.end_date AS DATE),
    x.fee_collection_rate = CAST(r.fee_collection_rate AS DOUBLE),
    x.serve_first = CAST(r.serve_first AS BOOLEAN)
