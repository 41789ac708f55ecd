// fragment committee_named_by_area_id(c)
// See committee_named_by_own_id: the committees (one in force, and any dissolved before it) leading the area $community.
(:Area {id: $community})<-[:LEADS]-(c:Organization)
