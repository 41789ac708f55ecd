// Warm stations and volunteer teams located in the area or an area under it, and the problems the teams solved.
MATCH (a:Area {id: $area_id})<-[:PART_OF*0..5]-(x:Area)
MATCH (x)<-[:LOCATED_IN]-(o:Organization)
WHERE o.kind IN ['warm_station', 'volunteer_team'] AND {{live_org(o)}}
RETURN count(DISTINCT CASE WHEN o.kind = 'warm_station' THEN o.id END) AS warm_stations,
       count(DISTINCT CASE WHEN o.kind = 'volunteer_team' THEN o.id END) AS volunteer_teams,
       sum(CASE WHEN o.kind = 'volunteer_team' THEN coalesce(o.problems_solved, 0) ELSE 0 END) AS problems_solved
