// Generated from graph_service/domain/schema.py by `graph-service schema ddl`. Do not edit.
LOAD FROM $rows
MATCH (a:__from__ {id: from_id})
MATCH (b:__to__ {id: to_id})
MERGE (a)-[x:JOINS {id: id}]->(b)
SET x.start_date = start_date,
    x.end_date = end_date
