// fragment gap_buildings_without_group(c)
// Generated from graph_service/domain/gaps.py by `graph-service schema ddl`. Do not edit.
{{compound_buildings_without_group(c)}} > $max_share_buildings_without_group * {{compound_buildings(c)}}
