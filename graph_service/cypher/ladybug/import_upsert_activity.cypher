// Generated from graph_service/domain/schema.py by `graph-service schema ddl`. Do not edit.
LOAD FROM $rows
MERGE (n:Activity {id: id})
SET n.kind = kind,
    n.held_on = held_on,
    n.attendance = attendance,
    n.topic = topic
