// Generated from graph_service/domain/schema.py by `graph-service schema ddl`. Do not edit.
LOAD FROM $rows
MERGE (n:Project {id: id})
SET n.kind = kind,
    n.name = name,
    n.need = need,
    n.created = created,
    n.name_key = name_key
