// Generated from graph_service/domain/schema.py by `graph-service schema ddl`. Do not edit.
UNWIND $rows AS r
MERGE (n:Organization {id: r.id})
SET n.kind = CAST(r.kind AS STRING),
    n.name = CAST(r.name AS STRING),
    n.unit_type = CAST(r.unit_type AS STRING),
    n.founded = CAST(r.founded AS DATE),
    n.dissolved = CAST(r.dissolved AS DATE),
    n.has_plaque = CAST(r.has_plaque AS BOOLEAN),
    n.five_haves = CAST(r.five_haves AS STRING[]),
    n.capacity = CAST(r.capacity AS INT64),
    n.problems_solved = CAST(r.problems_solved AS INT64),
    n.topic = CAST(r.topic AS STRING),
    n.households_served = CAST(r.households_served AS INT64),
    n.flags = CAST(r.flags AS STRING[]),
    n.flag_evidence = CAST(r.flag_evidence AS STRING)
