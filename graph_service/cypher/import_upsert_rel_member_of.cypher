// Generated from graph_service/domain/schema.py by `graph-service schema ddl`. Do not edit.
UNWIND $rows AS r
MATCH (a:__from__ {id: r.from_id})
MATCH (b:__to__ {id: r.to_id})
MERGE (a)-[x:MEMBER_OF {id: r.id}]->(b)
SET x.post = r.post,
    x.start_date = r.start_date,
    x.end_date = r.end_date,
    x.full_time = r.full_time,
    x.member_status = r.member_status
