// fragment compound_in_district(c)
EXISTS { MATCH (c)-[:PART_OF*1..3]->(:Area {id: $district}) }
