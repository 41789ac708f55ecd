// A page of the activities held by organisations leading, sitting in, serving or covering the area $area or an
// area below it, newest first (filters over a, o). LadybugDB: ordered on ids and days, the page's activities read
// by id after (see activities_page): 110 -> 45 ms for a district at scale 1.
MATCH (:Area {id: $area})<-[:PART_OF*0..5]-(:Area)<-[:LEADS|LOCATED_IN|SERVES|COVERS]-(o:Organization)
WITH DISTINCT o
MATCH (o)<-[:HELD_BY]-(a:Activity)
WHERE true {{filters(a, o)}}
WITH a.id AS activity, a.held_on AS day
ORDER BY day DESC, activity
SKIP $offset LIMIT $limit
MATCH (a:Activity {id: activity})
RETURN a
ORDER BY a.held_on DESC, a.id
