// organizations_page over the ids the embedded store's own index gives for the kind asked (see
// ladybug_areas_page_indexed): each id looked up by primary key, every filter applied to the organisations found.
UNWIND $ids AS key
MATCH (o:Organization {id: key})
WHERE true {{filters(o)}}
RETURN o
ORDER BY o.name_key, o.name, o.id
SKIP $offset LIMIT $limit
