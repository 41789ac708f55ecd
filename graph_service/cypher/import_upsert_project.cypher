// Generated from graph_service/domain/schema.py by `graph-service schema ddl`. Do not edit.
UNWIND $rows AS r
MERGE (n:Project {id: r.id})
SET n.kind = r.kind,
    n.name = r.name,
    n.need = r.need,
    n.created = r.created,
    n.name_key = r.name_key
