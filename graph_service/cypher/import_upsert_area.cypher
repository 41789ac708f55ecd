// Generated from graph_service/domain/schema.py by `graph-service schema ddl`. Do not edit.
UNWIND $rows AS r
MERGE (n:Area {id: r.id})
SET n.level = r.level,
    n.name = r.name,
    n.code = r.code,
    n.compound_kind = r.compound_kind,
    n.households = r.households,
    n.resident_population = r.resident_population,
    n.urban_population = r.urban_population,
    n.platform_people_served = r.platform_people_served,
    n.abolished = r.abolished,
    n.name_key = r.name_key
