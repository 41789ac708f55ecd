// fragment compound_central_households(c)
// Live Party-member central households (党员中心户) located in the compound's buildings.
COUNT {
  MATCH (c)<-[:PART_OF]-(x_building:Area)<-[:LOCATED_IN]-(x_household:Organization)
  WHERE x_building.level = 'building' AND x_household.kind = 'central_household' AND {{live_org(x_household)}}
}
