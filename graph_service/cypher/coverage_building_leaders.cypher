// Building leaders: people living in a building under the area who hold a current building_leader post.
MATCH (a:Area {id: $area_id})<-[:PART_OF*0..5]-(b:Area)
WHERE b.level = 'building'
MATCH (b)<-[:RESIDES_IN]-(p:Person)
WHERE EXISTS {
  MATCH (p)-[m:MEMBER_OF]->(:Organization)
  WHERE m.post = 'building_leader' AND m.end_date IS NULL
}
RETURN count(DISTINCT p.id) AS building_leaders
