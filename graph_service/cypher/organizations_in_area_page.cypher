// A page of the organisations leading, sitting in, serving or covering the area $area or an area below it.
MATCH (:Area {id: $area})<-[:PART_OF*0..5]-(:Area)<-[:LEADS|LOCATED_IN|SERVES|COVERS]-(o:Organization)
WITH DISTINCT o
WHERE true {{filters(o)}}
RETURN o
ORDER BY o.name_key, o.name, o.id
SKIP $offset LIMIT $limit
