// fragment person_current_post(p)
EXISTS { MATCH (p)-[x_post:MEMBER_OF]->(:Organization) WHERE x_post.post = $post AND {{in_force(x_post)}} }
