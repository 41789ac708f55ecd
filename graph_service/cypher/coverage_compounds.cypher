// Compounds under the area: how many, how many a station serves, how many meet the five-haves with plaques
// (an active branch and an active OC, both with a plaque and all five items).
// Patterns start from the bound compound and filter kinds in WHERE: LadybugDB then expands from the compound
// instead of scanning every organisation.
MATCH (a:Area {id: $area_id})<-[:PART_OF*0..4]-(c:Area)
WHERE c.level = 'compound'
RETURN count(c) AS compounds,
       sum(CASE WHEN EXISTS { MATCH (c)<-[:SERVES]-(s:Organization) WHERE s.kind = 'service_station' } THEN 1 ELSE 0 END)
         AS station_covered_compounds,
       sum(CASE WHEN EXISTS {
                   MATCH (c)<-[:LEADS]-(b:Organization)
                   WHERE b.kind = 'compound_branch' AND b.dissolved IS NULL AND b.has_plaque = true
                     AND all(x IN $five WHERE x IN b.five_haves)
                 }
                 AND EXISTS {
                   MATCH (c)<-[:LOCATED_IN]-(o:Organization)
                   WHERE o.kind = 'owners_committee' AND o.dissolved IS NULL AND o.has_plaque = true
                     AND all(x IN $five WHERE x IN o.five_haves)
                 }
            THEN 1 ELSE 0 END) AS five_haves_compounds
