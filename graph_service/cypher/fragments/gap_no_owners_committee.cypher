// fragment gap_no_owners_committee(c)
// Generated from graph_service/domain/gaps.py by `graph-service schema ddl`. Do not edit.
{{compound_owners_committees(c)}} = 0
