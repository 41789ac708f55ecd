// Compounds under the area: how many, how many a station serves, how many meet the five-haves with plaques
// (an active branch and an active OC, both with a plaque and all five items).
MATCH (a:Area {id: $area_id})
MATCH (c:Area {level: 'compound'})-[:PART_OF*0..4]->(a)
RETURN count(c) AS compounds,
       sum(CASE WHEN EXISTS { MATCH (:Organization {kind: 'service_station'})-[:SERVES]->(c) } THEN 1 ELSE 0 END)
         AS station_covered_compounds,
       sum(CASE WHEN EXISTS {
                   MATCH (b:Organization {kind: 'compound_branch'})-[:LEADS]->(c)
                   WHERE b.dissolved IS NULL AND b.has_plaque = true AND all(x IN $five WHERE x IN b.five_haves)
                 }
                 AND EXISTS {
                   MATCH (o:Organization {kind: 'owners_committee'})-[:LOCATED_IN]->(c)
                   WHERE o.dissolved IS NULL AND o.has_plaque = true AND all(x IN $five WHERE x IN o.five_haves)
                 }
            THEN 1 ELSE 0 END) AS five_haves_compounds
