// fragment compound_measures(c)
// Generated from graph_service/domain/gaps.py by `graph-service schema ddl`. Do not edit.
{{compound_households(c)}} AS households,
{{compound_branches(c)}} AS branches,
{{compound_owners_committees(c)}} AS owners_committees,
{{compound_cross_appointed(c)}} AS cross_appointed,
{{compound_buildings(c)}} AS buildings,
{{compound_buildings_without_group(c)}} AS buildings_without_group,
{{compound_buildings_without_leader(c)}} AS buildings_without_leader,
{{compound_central_households(c)}} AS central_households,
{{compound_stations(c)}} AS stations,
{{compound_property_managers(c)}} AS property_managers,
{{compound_sunk_staff(c)}} AS sunk_staff,
{{compound_community_pairings(c)}} AS community_pairings,
{{compound_community_registered_members(c)}} AS community_registered_members,
{{compound_five_haves_met(c)}} AS five_haves_met
