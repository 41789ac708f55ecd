// fragment compound_buildings_without_leader(c)
// The compound's live buildings with no building leader living in them.
COUNT {
  MATCH (c)<-[:PART_OF]-(x_building:Area)
  WHERE x_building.level = 'building' AND {{live_area(x_building)}} AND NOT {{building_has_leader(x_building)}}
}
