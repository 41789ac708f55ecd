// fragment holds_oc_post(p, c)
// The person holds a current post ($oc_posts) in a live owners' committee located in the compound.
EXISTS {
  MATCH (p)-[x_ocpost:MEMBER_OF]->(x_oc:Organization)-[:LOCATED_IN]->(c)
  WHERE x_oc.kind = 'owners_committee' AND {{live_org(x_oc)}} AND x_ocpost.post IN $oc_posts AND {{in_force(x_ocpost)}}
}
