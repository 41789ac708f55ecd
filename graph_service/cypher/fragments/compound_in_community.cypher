// fragment compound_in_community(c)
EXISTS { MATCH (c)-[:PART_OF]->(:Area {id: $community}) }
