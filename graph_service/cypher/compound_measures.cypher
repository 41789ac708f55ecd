// Every live compound with the measures its coverage gaps are judged by (domain.gaps), and the ids of its live
// branch and owners' committee: what the coverage analysis reads.
MATCH (c:Area)
WHERE c.level = 'compound' AND {{live_area(c)}}
OPTIONAL MATCH (c)<-[:LEADS]-(b:Organization)
WHERE {{live_branch(b)}}
WITH c, min(b.id) AS branch_id
OPTIONAL MATCH (c)<-[:LOCATED_IN]-(o:Organization)
WHERE {{live_owners_committee(o)}}
WITH c, branch_id, min(o.id) AS owners_committee_id
RETURN c.id AS id, branch_id, owners_committee_id,
{{compound_measures(c)}}
ORDER BY id
