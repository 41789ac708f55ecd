// Generated from graph_service/domain/schema.py by `graph-service schema ddl`. Do not edit.
UNWIND $rows AS r
MERGE (n:Area {id: r.id})
SET n.level = CAST(r.level AS STRING),
    n.name = CAST(r.name AS STRING),
    n.code = CAST(r.code AS STRING),
    n.compound_kind = CAST(r.compound_kind AS STRING),
    n.households = CAST(r.households AS INT64),
    n.resident_population = CAST(r.resident_population AS INT64),
    n.urban_population = CAST(r.urban_population AS INT64),
    n.platform_people_served = CAST(r.platform_people_served AS INT64),
    n.abolished = CAST(r.abolished AS DATE)
