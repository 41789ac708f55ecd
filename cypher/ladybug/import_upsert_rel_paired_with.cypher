// Generated from graph_service/domain/schema.py by `graph-service schema ddl`. Do not edit.
UNWIND $rows AS r
MATCH (a:__from__ {id: r.from_id})
MATCH (b:__to__ {id: r.to_id})
MERGE (a)-[x:PAIRED_WITH {id: r.id}]->(b)
SET x.start_date = CAST(r.start_date AS DATE),
    x.end_date = CAST(r.end_date AS DATE),
    x.projects = CAST(r.projects AS STRING[]),
    x.resources = CAST(r.resources AS STRING)
