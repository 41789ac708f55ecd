// How many compounds match a planner's filters (the same WHERE as api_compounds).
MATCH (c:Area {level: 'compound'})
WHERE ($district = '' OR EXISTS { MATCH (c)-[:PART_OF*1..3]->(:Area {id: $district}) })
  AND ($street = '' OR EXISTS { MATCH (c)-[:PART_OF*1..2]->(:Area {id: $street}) })
  AND ($community = '' OR EXISTS { MATCH (c)-[:PART_OF]->(:Area {id: $community}) })
  AND ($kind = '' OR c.compound_kind = $kind)
  AND ($name = '' OR lower(c.name) CONTAINS $name)
  AND ($mode = '' OR EXISTS {
        MATCH (c)<-[m:MANAGES]-(:Organization)
        WHERE m.mode = $mode AND (m.end_date IS NULL OR m.end_date >= $today) })
  AND (c.abolished IS NULL OR $include_abolished)
  
  AND ($no_branch = 0 OR ($no_branch = 1) <> EXISTS {
        MATCH (c)<-[:LEADS]-(b:Organization {kind: 'compound_branch'}) WHERE b.dissolved IS NULL })
  AND ($no_oc = 0 OR ($no_oc = 1) = (
        NOT EXISTS { MATCH (c)<-[:LOCATED_IN]-(o:Organization {kind: 'owners_committee'}) WHERE o.dissolved IS NULL }
        AND NOT EXISTS {
          MATCH (c)<-[:LEADS]-(:Organization {kind: 'compound_branch'})<-[:SUB_ORG_OF]-(o:Organization {kind: 'owners_committee'})
          WHERE o.dissolved IS NULL }))
  AND ($no_cross = 0 OR ($no_cross = 1) <> EXISTS {
        MATCH (c)<-[:LEADS]-(b:Organization {kind: 'compound_branch'})<-[m1:MEMBER_OF]-(:Person)-[m2:MEMBER_OF]->(o:Organization {kind: 'owners_committee'})
        WHERE m1.post IN $branch_posts AND m2.post IN $oc_posts
          AND (m1.end_date IS NULL OR m1.end_date >= $today) AND (m2.end_date IS NULL OR m2.end_date >= $today)
          AND (EXISTS { MATCH (o)-[:LOCATED_IN]->(c) } OR EXISTS { MATCH (o)-[:SUB_ORG_OF]->(b) }) })
  AND ($no_station = 0 OR ($no_station = 1) <> EXISTS {
        MATCH (c)<-[:SERVES|LOCATED_IN]-(s:Organization {kind: 'service_station'}) WHERE s.dissolved IS NULL })
  AND ($no_group = 0 OR ($no_group = 1) = EXISTS {
        MATCH (c)<-[:PART_OF]-(bd:Area {level: 'building'})
        WHERE NOT EXISTS { MATCH (bd)<-[:COVERS]-(g:Organization {kind: 'building_group'}) WHERE g.dissolved IS NULL } })
  AND ($no_leader = 0 OR ($no_leader = 1) = EXISTS {
        MATCH (c)<-[:PART_OF]-(bd:Area {level: 'building'})
        WHERE NOT EXISTS {
            MATCH (bd)<-[:COVERS|LOCATED_IN]-(:Organization)<-[m:MEMBER_OF]-(:Person)
            WHERE m.post = 'building_leader' AND (m.end_date IS NULL OR m.end_date >= $today) }
          AND NOT EXISTS {
            MATCH (bd)<-[:RESIDES_IN]-(:Person)-[m:MEMBER_OF]->(:Organization)
            WHERE m.post = 'building_leader' AND (m.end_date IS NULL OR m.end_date >= $today) } })
RETURN count(c) AS total
