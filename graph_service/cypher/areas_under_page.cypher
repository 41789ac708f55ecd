// A page of the areas directly inside $parent, by name in natural order (filters: fragments over a).
MATCH (:Area {id: $parent})<-[:PART_OF]-(a:Area)
WHERE true {{filters(a)}}
RETURN a
ORDER BY a.name_key, a.name, a.id
SKIP $offset LIMIT $limit
