// Generated from graph_service/domain/schema.py by `graph-service schema ddl`. Do not edit.
LOAD FROM $rows
MERGE (n:Area {id: id})
SET n.level = level,
    n.name = name,
    n.code = code,
    n.compound_kind = compound_kind,
    n.households = households,
    n.resident_population = resident_population,
    n.urban_population = urban_population,
    n.platform_people_served = platform_people_served,
    n.abolished = abolished,
    n.name_key = name_key
