// fragment building_has_leader(bd)
// Someone living in the building, and not gone, holds a current building-leader post (楼长) in a live
// organisation, whichever it is.
EXISTS {
  MATCH (bd)<-[:RESIDES_IN]-(x_resident:Person)-[x_leader:MEMBER_OF]->(x_org:Organization)
  WHERE x_leader.post = 'building_leader' AND {{in_force(x_leader)}} AND {{live_org(x_org)}}
    AND {{person_here(x_resident)}}
}
