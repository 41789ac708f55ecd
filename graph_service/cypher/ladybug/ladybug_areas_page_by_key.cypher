// areas_page with its filter over the ids alone: LadybugDB reads every returned and sorted column of every area
// before it filters, so a filter that keeps a few areas paid for the names of all 17,588 (the city: 2.6 ms at scale
// 1); here only the filter's columns and the id are read of every area, and the areas kept are looked up by primary
// key (the districts: 3.2 -> 1.4 ms). A filter that keeps thousands pays a lookup each (every building: 10 -> 42
// ms), so the store times both forms for each filter and its values and keeps the faster (LadybugStore.read).
MATCH (a:Area)
WHERE true {{filters(a)}}
WITH a.id AS key
MATCH (a:Area {id: key})
RETURN a
ORDER BY a.name_key, a.name, a.id
SKIP $offset LIMIT $limit
