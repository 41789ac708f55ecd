// Building leaders: people living in a building under the area who hold a current building_leader post.
MATCH (a:Area {id: $area_id})
MATCH (b:Area {level: 'building'})-[:PART_OF*0..5]->(a)
MATCH (p:Person)-[:RESIDES_IN]->(b)
MATCH (p)-[m:MEMBER_OF]->(:Organization)
WHERE m.post = 'building_leader' AND m.end_date IS NULL
RETURN count(DISTINCT p.id) AS building_leaders
