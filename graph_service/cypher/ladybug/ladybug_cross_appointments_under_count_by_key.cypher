// cross_appointments_under_count read the way ladybug_cross_appointments_under_page_by_key reads the page, each step
// expanded from the rows the step before kept: scale 1, a compound 37-46 -> 5 ms, a district of 73 compounds 68 ->
// 21 ms, the city 36-39 -> 69-88 ms (there the other form is kept); scale 10, a compound 357-511 -> 11-16 ms.
MATCH (:Area {id: $area})<-[:PART_OF*0..4]-(c:Area)
WHERE c.level = 'compound'
OPTIONAL MATCH (c)<-[:LEADS]-(b:Organization)
WITH c, b
WHERE {{live_branch(b)}}
OPTIONAL MATCH (b)<-[m1:MEMBER_OF]-(p:Person)
WITH c, m1, p
WHERE {{is_party_post(m1)}}
OPTIONAL MATCH (p)-[m2:MEMBER_OF]->(o:Organization)
WITH c, m2, o
WHERE {{is_oc_post(o, m2)}}
OPTIONAL MATCH (o)-[:LOCATED_IN]->(at:Area)
WITH c, at
WHERE at.id = c.id
RETURN count(*) AS total
