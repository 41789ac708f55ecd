// fragment gap_no_sunk_staff(c)
// Generated from graph_service/domain/gaps.py by `graph-service schema ddl`. Do not edit.
{{compound_sunk_staff(c)}} = 0
