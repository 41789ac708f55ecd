// fragment gap_few_central_households(c)
// Generated from graph_service/domain/gaps.py by `graph-service schema ddl`. Do not edit.
{{compound_central_households(c)}} * 100 < $min_central_households_per_100 * {{compound_households(c)}}
