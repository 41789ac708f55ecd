// fragment link_to_district(s, r, t)
// The committee leads a community in the district $district.
EXISTS { MATCH (t)-[:LEADS]->(:Area)-[:PART_OF*1..3]->(:Area {id: $district}) }
