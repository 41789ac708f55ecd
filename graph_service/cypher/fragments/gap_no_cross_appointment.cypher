// fragment gap_no_cross_appointment(c)
// Generated from graph_service/domain/gaps.py by `graph-service schema ddl`. Do not edit.
{{compound_cross_appointed(c)}} = 0
