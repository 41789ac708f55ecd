// Generated from graph_service/domain/schema.py by `graph-service schema ddl`. Do not edit.
UNWIND $rows AS r
MERGE (n:Activity {id: r.id})
SET n.kind = r.kind,
    n.held_on = r.held_on,
    n.attendance = r.attendance,
    n.topic = r.topic
