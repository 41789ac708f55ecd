// Every live compound with the measures its coverage gaps are judged by (domain.gaps), the areas above it (ended
// PART_OF steps count, as in every PART_OF*0..4 match of an area's compounds) and the ids of its live branch and
// owners' committee: what the coverage figures and the coverage analysis read (services.measures). Narrowed to
// some compounds (fragments/id_in), it re-reads those a change may have touched.
MATCH (c:Area)
WHERE c.level = 'compound' AND {{live_area(c)}} {{filters(c)}}
OPTIONAL MATCH (c)-[:PART_OF*1..4]->(up:Area)
WITH c, collect(up.id) AS ancestors
OPTIONAL MATCH (c)<-[:LEADS]-(b:Organization)
WHERE {{live_branch(b)}}
WITH c, ancestors, min(b.id) AS branch_id
OPTIONAL MATCH (c)<-[:LOCATED_IN]-(o:Organization)
WHERE {{live_owners_committee(o)}}
WITH c, ancestors, branch_id, min(o.id) AS owners_committee_id
RETURN c.id AS id, ancestors, branch_id, owners_committee_id,
{{compound_measures(c)}}
ORDER BY id
