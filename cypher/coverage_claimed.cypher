// Volunteer projects listed by branches of compounds under the area that at least one person claimed.
MATCH (a:Area {id: $area_id})
MATCH (c:Area {level: 'compound'})-[:PART_OF*0..4]->(a)
MATCH (b:Organization {kind: 'compound_branch'})-[:LEADS]->(c)
MATCH (pj:Project {kind: 'volunteer'})-[:LISTED_BY]->(b)
WHERE EXISTS { MATCH (:Person)-[:CLAIMED]->(pj) }
RETURN count(DISTINCT pj.id) AS claimed_volunteer_projects
