// fragment activity_org_in_area(a, o)
// The organisation leads, sits in, serves or covers the area $area or an area below it.
EXISTS { MATCH (o)-[:LEADS|LOCATED_IN|SERVES|COVERS]->(:Area)-[:PART_OF*0..5]->(:Area {id: $area}) }
