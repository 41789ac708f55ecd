// How many activities activities_in_area_page would list over all pages.
MATCH (:Area {id: $area})<-[:PART_OF*0..5]-(:Area)<-[:LEADS|LOCATED_IN|SERVES|COVERS]-(o:Organization)
WITH DISTINCT o
MATCH (o)<-[:HELD_BY]-(a:Activity)
WHERE true {{filters(a, o)}}
RETURN count(a) AS total
