// How many areas areas_under_page would list over all pages.
MATCH (:Area {id: $parent})<-[:PART_OF]-(a:Area)
WHERE true {{filters(a)}}
RETURN count(a) AS total
