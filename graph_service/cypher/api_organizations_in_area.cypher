// Organisations leading, sitting in, serving or covering an area or any area below it (candidate ids).
MATCH (a:Area {id: $area})<-[:PART_OF*0..5]-(:Area)<-[:LEADS|LOCATED_IN|SERVES|COVERS]-(o:Organization)
RETURN DISTINCT o.id AS id
