// fragment gap_five_haves_missing(c)
// Generated from graph_service/domain/gaps.py by `graph-service schema ddl`. Do not edit.
{{compound_five_haves_met(c)}} = 0
