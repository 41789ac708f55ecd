// fragment gap_buildings_without_leader(c)
// Generated from graph_service/domain/gaps.py by `graph-service schema ddl`. Do not edit.
{{compound_buildings_without_leader(c)}} > $max_share_buildings_without_leader * {{compound_buildings(c)}}
