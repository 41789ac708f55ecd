// fragment compound_some_building_without_leader(c)
// At least one live building of the compound has no building leader living in it (the coverage gap needs more
// than a share of them: gap_buildings_without_leader).
{{compound_buildings_without_leader(c)}} > 0
