// Generated from graph_service/domain/schema.py by `graph-service schema ddl`. Do not edit.
UNWIND $rows AS r
MERGE (n:Organization {id: r.id})
SET n.kind = r.kind,
    n.name = r.name,
    n.unit_type = r.unit_type,
    n.founded = r.founded,
    n.dissolved = r.dissolved,
    n.has_plaque = r.has_plaque,
    n.five_haves = r.five_haves,
    n.capacity = r.capacity,
    n.problems_solved = r.problems_solved,
    n.topic = r.topic,
    n.households_served = r.households_served,
    n.flags = r.flags,
    n.flag_evidence = r.flag_evidence,
    n.term_start = r.term_start,
    n.term_years = r.term_years,
    n.name_key = r.name_key
