// fragment compound_buildings(c)
// The compound's live buildings.
COUNT { MATCH (c)<-[:PART_OF]-(x_building:Area) WHERE x_building.level = 'building' AND {{live_area(x_building)}} }
