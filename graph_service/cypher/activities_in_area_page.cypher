// A page of the activities held by organisations leading, sitting in, serving or covering the area $area or an
// area below it, newest first (filters over a, o).
MATCH (:Area {id: $area})<-[:PART_OF*0..5]-(:Area)<-[:LEADS|LOCATED_IN|SERVES|COVERS]-(o:Organization)
WITH DISTINCT o
MATCH (o)<-[:HELD_BY]-(a:Activity)
WHERE true {{filters(a, o)}}
RETURN a
ORDER BY a.held_on DESC, a.id
SKIP $offset LIMIT $limit
