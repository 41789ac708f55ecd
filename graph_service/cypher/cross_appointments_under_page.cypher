// A page of the cross-appointments in the compounds under the area $area (or in the compound $area).
MATCH (:Area {id: $area})<-[:PART_OF*0..4]-(c:Area)
WHERE c.level = 'compound'
MATCH (c)<-[:LEADS]-(b:Organization)<-[m1:MEMBER_OF]-(p:Person)
WHERE {{is_branch_party_post(b, m1)}}
WITH c, b, m1, p
MATCH (p)-[m2:MEMBER_OF]->(o:Organization)-[:LOCATED_IN]->(c)
WHERE {{is_oc_post(o, m2)}}
RETURN c, b, m1, p, m2, o
ORDER BY c.name_key, c.name, c.id, p.id, m1.id, m2.id
SKIP $offset LIMIT $limit
