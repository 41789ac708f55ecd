// How many people people_in_area_page would list over all pages.
MATCH (:Area {id: $area})<-[:PART_OF*0..5]-(:Area)<-[:RESIDES_IN]-(p:Person)
WITH DISTINCT p
WHERE true {{filters(p)}}
RETURN count(p) AS total
