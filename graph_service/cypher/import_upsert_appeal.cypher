// Generated from graph_service/domain/schema.py by `graph-service schema ddl`. Do not edit.
UNWIND $rows AS r
MERGE (n:Appeal {id: r.id})
SET n.summary = r.summary,
    n.received = r.received,
    n.status = r.status,
    n.resolved = r.resolved
