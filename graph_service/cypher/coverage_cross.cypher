// Persons holding a current Party post in a compound's branch and a current post in the same compound's OC.
MATCH (a:Area {id: $area_id})<-[:PART_OF*0..4]-(c:Area)
WHERE c.level = 'compound'
MATCH (c)<-[:LEADS]-(b:Organization)<-[m1:MEMBER_OF]-(p:Person)
WHERE b.kind = 'compound_branch' AND b.dissolved IS NULL AND m1.end_date IS NULL AND m1.post IN $party_posts
// LadybugDB 0.22 mixes up the filters of two MEMBER_OF patterns of one person in one query part: WITH separates them.
WITH DISTINCT p, c
MATCH (c)<-[:LOCATED_IN]-(o:Organization)<-[m2:MEMBER_OF]-(p)
WHERE o.kind = 'owners_committee' AND o.dissolved IS NULL AND m2.end_date IS NULL AND m2.post IN $oc_posts
RETURN count(DISTINCT p.id) AS cross_appointed_persons
