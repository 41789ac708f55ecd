// People living in an area or any area below it (candidate ids for api_people).
MATCH (a:Area {id: $area})<-[:PART_OF*0..5]-(:Area)<-[:RESIDES_IN]-(p:Person)
RETURN DISTINCT p.id AS id
