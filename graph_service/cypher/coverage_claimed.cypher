// Volunteer projects listed by branches of compounds under the area that at least one person claimed.
MATCH (a:Area {id: $area_id})<-[:PART_OF*0..4]-(c:Area)
WHERE c.level = 'compound'
MATCH (c)<-[:LEADS]-(b:Organization)<-[:LISTED_BY]-(pj:Project)
WHERE {{live_branch(b)}} AND pj.kind = 'volunteer' AND EXISTS { MATCH (pj)<-[:CLAIMED]-(:Person) }
RETURN count(DISTINCT pj.id) AS claimed_volunteer_projects
