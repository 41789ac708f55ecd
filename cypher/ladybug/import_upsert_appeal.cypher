// Generated from graph_service/domain/schema.py by `graph-service schema ddl`. Do not edit.
UNWIND $rows AS r
MERGE (n:Appeal {id: r.id})
SET n.summary = CAST(r.summary AS STRING),
    n.received = CAST(r.received AS DATE),
    n.status = CAST(r.status AS STRING),
    n.resolved = CAST(r.resolved AS DATE)
