// A page of co-construction pairings (结对共建): a unit's Party organisation u PAIRED_WITH a community committee c.
// LadybugDB reads every returned column of every matching row before it sorts, so the page is ordered and cut on
// the relationship and the ends' ids, and its organisations are read by id after, one MATCH per WITH: two MATCHes
// in a row straight after the cut were planned as a join with every organisation (and ran the buffer pool full).
// Not a collect of the cut rows either: LadybugDB 0.22 drops an ORDER BY that SKIP/LIMIT follow when an aggregate
// comes next, and the page was cut from unordered rows (tests/contract: every listing read a few at a time).
// Against the committee carried whole through the sort: 7.7 -> 6.6 ms at scale 1, 59 -> 19 ms at scale 10 (100
// pairings in force on a day, the engine's time). The page is sorted again: lookups keep no order.
MATCH (u:Organization)-[r:PAIRED_WITH]->(c:Organization)
WHERE true {{filters(u, r, c)}}
WITH r, u.id AS unit, c.id AS committee
ORDER BY r.start_date, r.id
SKIP $offset LIMIT $limit
MATCH (u:Organization {id: unit})
WITH r, u, committee
MATCH (c:Organization {id: committee})
RETURN r, u, c
ORDER BY r.start_date, r.id
