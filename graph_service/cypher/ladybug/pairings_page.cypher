// A page of co-construction pairings (结对共建): a unit's Party organisation u PAIRED_WITH a community committee c.
// LadybugDB plans the match from a scan of every organisation as u, reading each one's every property when u is
// returned (20,000 organisations at scale 1); ordering and cutting the page on u's id first and reading the page's
// units by id after took the statement from 20 to 15 ms (scale 1, pairings in force on a day). The page is sorted
// again: nothing promises that the lookups keep the order.
MATCH (u:Organization)-[r:PAIRED_WITH]->(c:Organization)
WHERE true {{filters(u, r, c)}}
WITH r, c, u.id AS unit
ORDER BY r.start_date, r.id
SKIP $offset LIMIT $limit
MATCH (u:Organization {id: unit})
RETURN r, u, c
ORDER BY r.start_date, r.id
