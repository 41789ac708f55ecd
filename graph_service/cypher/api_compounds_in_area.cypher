// The compounds in an area (the area itself if it is one).
MATCH (:Area {id: $area})<-[:PART_OF*0..4]-(c:Area {level: 'compound'})
RETURN c.id AS id
