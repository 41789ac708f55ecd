// fragment building_has_group(bd)
// A live building Party group covers the building.
EXISTS { MATCH (bd)<-[:COVERS]-(x_group:Organization) WHERE x_group.kind = 'building_group' AND {{live_org(x_group)}} }
