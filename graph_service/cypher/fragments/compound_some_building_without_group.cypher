// fragment compound_some_building_without_group(c)
// At least one live building of the compound has no live building Party group (the coverage gap needs more
// than a share of them: gap_buildings_without_group).
{{compound_buildings_without_group(c)}} > 0
