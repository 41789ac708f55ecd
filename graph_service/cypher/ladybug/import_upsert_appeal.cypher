// Generated from graph_service/domain/schema.py by `graph-service schema ddl`. Do not edit.
LOAD FROM $rows
MERGE (n:Appeal {id: id})
SET n.summary = summary,
    n.received = received,
    n.status = status,
    n.resolved = resolved
