// fragment compound_buildings_without_group(c)
// The compound's live buildings that no live building Party group covers.
COUNT {
  MATCH (c)<-[:PART_OF]-(x_building:Area)
  WHERE x_building.level = 'building' AND {{live_area(x_building)}} AND NOT {{building_has_group(x_building)}}
}
