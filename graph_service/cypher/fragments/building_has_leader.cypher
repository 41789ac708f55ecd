// fragment building_has_leader(bd)
// Someone living in the building holds a current building-leader post (楼长), in whichever organisation.
EXISTS {
  MATCH (bd)<-[:RESIDES_IN]-(:Person)-[x_leader:MEMBER_OF]->(:Organization)
  WHERE x_leader.post = 'building_leader' AND {{in_force(x_leader)}}
}
