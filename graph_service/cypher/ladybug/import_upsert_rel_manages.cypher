// Generated from graph_service/domain/schema.py by `graph-service schema ddl`. Do not edit.
LOAD FROM $rows
MATCH (a:__from__ {id: from_id})
MATCH (b:__to__ {id: to_id})
MERGE (a)-[x:MANAGES {id: id}]->(b)
SET x.mode = mode,
    x.start_date = start_date,
    x.end_date = end_date,
    x.fee_collection_rate = fee_collection_rate,
    x.serve_first = serve_first
