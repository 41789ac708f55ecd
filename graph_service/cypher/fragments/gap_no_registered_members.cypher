// fragment gap_no_registered_members(c)
// Generated from graph_service/domain/gaps.py by `graph-service schema ddl`. Do not edit.
{{compound_community_registered_members(c)}} = 0
