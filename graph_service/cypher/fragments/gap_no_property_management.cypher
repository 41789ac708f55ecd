// fragment gap_no_property_management(c)
// Generated from graph_service/domain/gaps.py by `graph-service schema ddl`. Do not edit.
{{compound_property_managers(c)}} = 0
