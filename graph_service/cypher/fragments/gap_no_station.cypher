// fragment gap_no_station(c)
// Generated from graph_service/domain/gaps.py by `graph-service schema ddl`. Do not edit.
{{compound_stations(c)}} = 0
