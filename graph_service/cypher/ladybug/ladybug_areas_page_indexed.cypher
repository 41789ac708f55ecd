// areas_page over the ids the embedded store's own index gives for the level asked (LadybugStore._read_indexed:
// LadybugDB 0.22 indexes primary keys only, so areas_page and its by_key form read the level of all 17,588 areas
// at scale 1 to find the city, 1.7-2.0 ms): each id looked up by primary key, every filter applied to the areas
// found as areas_page applies it. The store times this form beside the other two per filter and values: the
// buildings are thousands of lookups.
UNWIND $ids AS key
MATCH (a:Area {id: key})
WHERE true {{filters(a)}}
RETURN a
ORDER BY a.name_key, a.name, a.id
SKIP $offset LIMIT $limit
