// Building leaders: people living in a live building under the area, and not gone, who hold a current
// building_leader post in a live organisation (the same test as building_has_leader).
MATCH (:Area {id: $area_id})<-[:PART_OF*0..5]-(b:Area)
WHERE b.level = 'building' AND {{live_area(b)}}
MATCH (b)<-[:RESIDES_IN]-(p:Person)
WHERE {{person_here(p)}} AND EXISTS {
  MATCH (p)-[m:MEMBER_OF]->(o:Organization) WHERE m.post = 'building_leader' AND {{in_force(m)}} AND {{live_org(o)}}
}
RETURN count(DISTINCT p.id) AS building_leaders
