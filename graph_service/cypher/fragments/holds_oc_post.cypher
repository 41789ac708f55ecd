// fragment holds_oc_post(p, c)
// The person holds a current post in a live owners' committee located in the compound.
EXISTS { MATCH (p)-[x_ocpost:MEMBER_OF]->(x_oc:Organization)-[:LOCATED_IN]->(c) WHERE {{is_oc_post(x_oc, x_ocpost)}} }
