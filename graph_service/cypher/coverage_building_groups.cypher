// Live building Party groups covering a live building under the area.
MATCH (:Area {id: $area_id})<-[:PART_OF*0..5]-(b:Area)
WHERE b.level = 'building' AND {{live_area(b)}}
MATCH (b)<-[:COVERS]-(g:Organization)
WHERE g.kind = 'building_group' AND {{live_org(g)}}
RETURN count(DISTINCT g.id) AS building_groups
