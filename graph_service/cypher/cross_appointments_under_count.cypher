// How many cross-appointments cross_appointments_under_page would list over all pages.
MATCH (:Area {id: $area})<-[:PART_OF*0..4]-(c:Area)
WHERE c.level = 'compound'
MATCH (c)<-[:LEADS]-(b:Organization)<-[m1:MEMBER_OF]-(p:Person)
WHERE {{is_branch_party_post(b, m1)}}
WITH c, b, m1, p
MATCH (p)-[m2:MEMBER_OF]->(o:Organization)-[:LOCATED_IN]->(c)
WHERE {{is_oc_post(o, m2)}}
RETURN count(*) AS total
