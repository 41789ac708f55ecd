// fragment compound_in_street(c)
EXISTS { MATCH (c)-[:PART_OF*1..2]->(:Area {id: $street}) }
