// Appeals about compounds under the area collected by a rider (a Party member of the new employment groups
// holding a current part-time grid_worker post in a community committee).
MATCH (a:Area {id: $area_id})<-[:PART_OF*0..4]-(c:Area)
WHERE c.level = 'compound'
MATCH (c)<-[:CONCERNS]-(ap:Appeal)<-[:COLLECTED]-(p:Person)
WHERE p.employment = 'new_employment' AND p.is_party_member = true
  AND EXISTS {
    MATCH (p)-[m:MEMBER_OF]->(cc:Organization)
    WHERE cc.kind = 'community_committee' AND m.post = 'grid_worker' AND m.full_time = false AND {{in_force(m)}}
  }
RETURN count(DISTINCT ap.id) AS rider_appeals
