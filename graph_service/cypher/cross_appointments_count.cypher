// How many cross-appointments cross_appointments_page would list over all pages.
MATCH (c:Area)<-[:LEADS]-(b:Organization)<-[m1:MEMBER_OF]-(p:Person)
WHERE c.level = 'compound' AND {{is_branch_party_post(b, m1)}}
WITH c, b, m1, p
MATCH (p)-[m2:MEMBER_OF]->(o:Organization)-[:LOCATED_IN]->(c)
WHERE {{is_oc_post(o, m2)}}
RETURN count(*) AS total
