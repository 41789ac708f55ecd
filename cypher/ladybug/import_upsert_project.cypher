// Generated from graph_service/domain/schema.py by `graph-service schema ddl`. Do not edit.
UNWIND $rows AS r
MERGE (n:Project {id: r.id})
SET n.kind = CAST(r.kind AS STRING),
    n.name = CAST(r.name AS STRING),
    n.need = CAST(r.need AS STRING),
    n.created = CAST(r.created AS DATE)
