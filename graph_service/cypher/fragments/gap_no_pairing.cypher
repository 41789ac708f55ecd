// fragment gap_no_pairing(c)
// Generated from graph_service/domain/gaps.py by `graph-service schema ddl`. Do not edit.
{{compound_community_pairings(c)}} = 0
