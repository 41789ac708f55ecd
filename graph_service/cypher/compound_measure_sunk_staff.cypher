// Generated from graph_service/domain/gaps.py by `graph-service schema ddl`. Do not edit.
MATCH (c:Area)
WHERE c.id IN $ids
RETURN c.id AS id, {{compound_sunk_staff(c)}} AS sunk_staff
