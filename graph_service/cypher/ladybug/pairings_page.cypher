// A page of co-construction pairings (结对共建): a unit's Party organisation u PAIRED_WITH a community committee c.
// LadybugDB reads every returned column of every matching row before it sorts, so the page is ordered and cut on
// the ends' ids and its organisations read by id after. The collect ends the first part: a MATCH straight after the
// cut was planned as a join with every organisation (and ran the buffer pool full); after it each id is a lookup.
// Against re-matching the unit alone after the cut (the committee whole throughout): 8.7 -> 7.2 ms at scale 1,
// 45 -> 18.5 ms at scale 10 (100 pairings in force on a day). The page is sorted again: lookups keep no order.
MATCH (u:Organization)-[r:PAIRED_WITH]->(c:Organization)
WHERE true {{filters(u, r, c)}}
WITH r, u.id AS unit, c.id AS committee
ORDER BY r.start_date, r.id
SKIP $offset LIMIT $limit
WITH collect({r: r, unit: unit, committee: committee}) AS page
UNWIND page AS row
MATCH (u:Organization {id: row.unit})
MATCH (c:Organization {id: row.committee})
RETURN row.r AS r, u, c
ORDER BY row.r.start_date, row.r.id
