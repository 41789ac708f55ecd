// How many organisations organizations_in_area_page would list over all pages.
MATCH (:Area {id: $area})<-[:PART_OF*0..5]-(:Area)<-[:LEADS|LOCATED_IN|SERVES|COVERS]-(o:Organization)
WITH DISTINCT o
WHERE true {{filters(o)}}
RETURN count(o) AS total
