// Generated from graph_service/domain/schema.py by `graph-service schema ddl`. Do not edit.
UNWIND $rows AS r
MATCH (a:__from__ {id: r.from_id})
MATCH (b:__to__ {id: r.to_id})
MERGE (a)-[x:LIAISES_WITH {id: r.id}]->(b)
SET x.role = r.role,
    x.level = r.level,
    x.start_date = r.start_date,
    x.end_date = r.end_date
