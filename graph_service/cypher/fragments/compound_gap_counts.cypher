// fragment compound_gap_counts(c)
// Generated from graph_service/domain/gaps.py by `graph-service schema ddl`. Do not edit.
sum(CASE WHEN {{gap_no_branch(c)}} THEN 1 ELSE 0 END) AS gap_no_branch,
sum(CASE WHEN {{gap_no_owners_committee(c)}} THEN 1 ELSE 0 END) AS gap_no_owners_committee,
sum(CASE WHEN {{gap_no_cross_appointment(c)}} THEN 1 ELSE 0 END) AS gap_no_cross_appointment,
sum(CASE WHEN {{gap_buildings_without_group(c)}} THEN 1 ELSE 0 END) AS gap_buildings_without_group,
sum(CASE WHEN {{gap_buildings_without_leader(c)}} THEN 1 ELSE 0 END) AS gap_buildings_without_leader,
sum(CASE WHEN {{gap_few_central_households(c)}} THEN 1 ELSE 0 END) AS gap_few_central_households,
sum(CASE WHEN {{gap_no_station(c)}} THEN 1 ELSE 0 END) AS gap_no_station,
sum(CASE WHEN {{gap_no_property_management(c)}} THEN 1 ELSE 0 END) AS gap_no_property_management,
sum(CASE WHEN {{gap_no_sunk_staff(c)}} THEN 1 ELSE 0 END) AS gap_no_sunk_staff,
sum(CASE WHEN {{gap_no_pairing(c)}} THEN 1 ELSE 0 END) AS gap_no_pairing,
sum(CASE WHEN {{gap_no_registered_members(c)}} THEN 1 ELSE 0 END) AS gap_no_registered_members,
sum(CASE WHEN {{gap_five_haves_missing(c)}} THEN 1 ELSE 0 END) AS gap_five_haves_missing
