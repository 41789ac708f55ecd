// Generated from graph_service/domain/gaps.py by `graph-service schema ddl`. Do not edit.
MATCH (c:Area)
WHERE c.id IN $ids
RETURN c.id AS id, {{compound_community_registered_members(c)}} AS community_registered_members
