// fragment gap_no_branch(c)
// Generated from graph_service/domain/gaps.py by `graph-service schema ddl`. Do not edit.
{{compound_branches(c)}} = 0
