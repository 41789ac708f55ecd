// How many cross-appointments there are in given compounds (the same pattern as api_cross_appointments_in).
UNWIND $compound_ids AS compound_id
MATCH (c:Area {id: compound_id})<-[:LEADS]-(b:Organization {kind: 'compound_branch'})<-[m1:MEMBER_OF]-(p:Person)
WHERE m1.post IN $branch_posts AND (m1.end_date IS NULL OR m1.end_date >= $today)
MATCH (p)-[m2:MEMBER_OF]->(o:Organization {kind: 'owners_committee'})
WHERE m2.post IN $oc_posts AND (m2.end_date IS NULL OR m2.end_date >= $today)
  AND (EXISTS { MATCH (o)-[:LOCATED_IN]->(c) } OR EXISTS { MATCH (o)-[:SUB_ORG_OF]->(b) })
RETURN count(*) AS total
