// cross_appointments_under_page with each step an OPTIONAL MATCH from the rows the step before kept (the rows it
// leaves empty dropped): LadybugDB 0.22 then expands from the area's compounds, where the one pattern of
// cross_appointments_under_page is planned as a scan of every live branch, Party post and owners' committee post of
// the store, hash-joined with the compounds. That form costs about the same for a compound as for the whole city;
// this one follows the area's size, and has more operators to set up per run, so the store times both per area
// (LadybugStore.read). Page of 51, medians on one connection (docs/performance.md, "Cross-appointments under an
// area"): scale 1, a compound 62-106 -> 26-49 ms, a district of 73 compounds 120 -> 44-55 ms, the city 75-117 ->
// 239-277 ms (there the other form is kept); scale 10, a compound 434-592 -> 77-94 ms, a street 517-841 -> 174-209 ms.
MATCH (:Area {id: $area})<-[:PART_OF*0..4]-(c:Area)
WHERE c.level = 'compound'
OPTIONAL MATCH (c)<-[:LEADS]-(b:Organization)
WITH c, b
WHERE {{live_branch(b)}}
OPTIONAL MATCH (b)<-[m1:MEMBER_OF]-(p:Person)
WITH c, b, m1, p
WHERE {{is_party_post(m1)}}
OPTIONAL MATCH (p)-[m2:MEMBER_OF]->(o:Organization)
WITH c, b, m1, p, m2, o
WHERE {{is_oc_post(o, m2)}}
OPTIONAL MATCH (o)-[:LOCATED_IN]->(at:Area)
WITH c, b, m1, p, m2, o, at
WHERE at.id = c.id
RETURN c, b, m1, p, m2, o
ORDER BY c.name_key, c.name, c.id, p.id, m1.id, m2.id
SKIP $offset LIMIT $limit
