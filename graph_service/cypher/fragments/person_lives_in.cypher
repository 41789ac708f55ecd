// fragment person_lives_in(p)
EXISTS { MATCH (p)-[:RESIDES_IN]->(:Area)-[:PART_OF*0..5]->(:Area {id: $area}) }
