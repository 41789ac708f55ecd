// Persons holding a current Party post in a compound's branch and a current post in the same compound's OC.
MATCH (a:Area {id: $area_id})
MATCH (c:Area {level: 'compound'})-[:PART_OF*0..4]->(a)
MATCH (p:Person)-[m1:MEMBER_OF]->(b:Organization {kind: 'compound_branch'})-[:LEADS]->(c)
WHERE m1.end_date IS NULL AND m1.post IN $party_posts AND b.dissolved IS NULL
// LadybugDB 0.22 mixes up the filters of two MEMBER_OF patterns of one person in one query part: WITH separates them.
WITH p, c
MATCH (p)-[m2:MEMBER_OF]->(o:Organization {kind: 'owners_committee'})-[:LOCATED_IN]->(c)
WHERE m2.end_date IS NULL AND m2.post IN $oc_posts AND o.dissolved IS NULL
RETURN count(DISTINCT p.id) AS cross_appointed_persons
