// A page of the people living in the area $area or an area below it, by id (filters: fragments over p).
MATCH (:Area {id: $area})<-[:PART_OF*0..5]-(:Area)<-[:RESIDES_IN]-(p:Person)
WITH DISTINCT p
WHERE true {{filters(p)}}
RETURN p
ORDER BY p.id
SKIP $offset LIMIT $limit
