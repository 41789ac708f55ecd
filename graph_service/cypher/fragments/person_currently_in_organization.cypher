// fragment person_currently_in_organization(p)
EXISTS { MATCH (p)-[x_post:MEMBER_OF]->(:Organization {id: $organization}) WHERE {{in_force(x_post)}} }
