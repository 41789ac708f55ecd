// A page of cross-appointments (交叉任职): a person p with a current Party post m1 in the live branch b leading the
// compound c and a current post m2 in a live owners' committee o located in c (compound_cross_appointed counts
// the same people).
MATCH (c:Area)<-[:LEADS]-(b:Organization)<-[m1:MEMBER_OF]-(p:Person)
WHERE c.level = 'compound' AND {{is_branch_party_post(b, m1)}}
// LadybugDB 0.22 mixes up the filters of two MEMBER_OF patterns of one person in one query part: WITH separates them.
WITH c, b, m1, p
MATCH (p)-[m2:MEMBER_OF]->(o:Organization)-[:LOCATED_IN]->(c)
WHERE {{is_oc_post(o, m2)}}
RETURN c, b, m1, p, m2, o
ORDER BY c.name_key, c.name, c.id, p.id, m1.id, m2.id
SKIP $offset LIMIT $limit
