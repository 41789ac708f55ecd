// Compounds with at least one building without a building leader (the gap itself): nobody holds a current
// building_leader post in an organisation covering or located in it, nor lives in it with such a post.
MATCH (c:Area {level: 'compound'})<-[:PART_OF]-(bd:Area {level: 'building'})
WHERE NOT EXISTS {
    MATCH (bd)<-[:COVERS|LOCATED_IN]-(:Organization)<-[m:MEMBER_OF]-(:Person)
    WHERE m.post = 'building_leader' AND (m.end_date IS NULL OR m.end_date >= $today) }
  AND NOT EXISTS {
    MATCH (bd)<-[:RESIDES_IN]-(:Person)-[m:MEMBER_OF]->(:Organization)
    WHERE m.post = 'building_leader' AND (m.end_date IS NULL OR m.end_date >= $today) }
RETURN DISTINCT c.id AS id
