// A page of activities of organisational life a, each HELD_BY its organisation o, newest first (filters over a, o).
// LadybugDB sorts whatever a row carries: ordering the 70,000 activities of scale 1 with every property of each took
// 70-110 ms, ordering their ids and days and reading the page's 50 by id after 45-50 ms. The page is sorted again:
// nothing promises that the lookups keep the order.
MATCH (a:Activity)-[:HELD_BY]->(o:Organization)
WHERE true {{filters(a, o)}}
WITH a.id AS activity, a.held_on AS day
ORDER BY day DESC, activity
SKIP $offset LIMIT $limit
MATCH (a:Activity {id: activity})
RETURN a
ORDER BY a.held_on DESC, a.id
