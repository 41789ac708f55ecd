// organizations_page with its filter over the ids alone (see ladybug_areas_page_by_key): at scale 1, units 6.7 ->
// 3.1 ms, street committees 3.7 -> 2.1 ms; community committees 3.5 -> 4.3 ms and every organisation 18 -> 51 ms the
// other way, hence the store's timing of both forms (LadybugStore.read).
MATCH (o:Organization)
WHERE true {{filters(o)}}
WITH o.id AS key
MATCH (o:Organization {id: key})
RETURN o
ORDER BY o.name_key, o.name, o.id
SKIP $offset LIMIT $limit
