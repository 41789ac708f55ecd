// fragment person_in_organization(p)
EXISTS { MATCH (p)-[x_post:MEMBER_OF]->(:Organization {id: $organization}) }
