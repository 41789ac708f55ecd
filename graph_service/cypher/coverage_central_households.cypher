// Live Party-member central households located in a live building under the area.
MATCH (:Area {id: $area_id})<-[:PART_OF*0..5]-(b:Area)
WHERE b.level = 'building' AND {{live_area(b)}}
MATCH (b)<-[:LOCATED_IN]-(h:Organization)
WHERE h.kind = 'central_household' AND {{live_org(h)}}
RETURN count(DISTINCT h.id) AS central_households
