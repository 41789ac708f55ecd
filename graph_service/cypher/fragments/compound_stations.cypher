// fragment compound_stations(c)
// Live Party-mass service stations serving the compound.
COUNT { MATCH (c)<-[:SERVES]-(x_station:Organization) WHERE x_station.kind = 'service_station' AND {{live_org(x_station)}} }
