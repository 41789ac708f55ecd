// Old compounds and resettlement areas under the area managed by a state fallback company now, and their
// mean fee collection rate.
MATCH (a:Area {id: $area_id})<-[:PART_OF*0..4]-(c:Area)
WHERE c.level = 'compound' AND c.compound_kind IN ['old', 'resettlement']
MATCH (c)<-[m:MANAGES]-(:Organization)
WHERE {{in_force(m)}} AND m.mode = 'state_fallback'
RETURN count(DISTINCT CASE WHEN c.compound_kind = 'old' THEN c.id END) AS state_fallback_old_compounds,
       count(DISTINCT CASE WHEN c.compound_kind = 'resettlement' THEN c.id END) AS state_fallback_resettlement_areas,
       avg(m.fee_collection_rate) AS state_fallback_fee_collection_rate
