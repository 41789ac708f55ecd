// fragment person_current_post_in_organization(p)
EXISTS { MATCH (p)-[x_post:MEMBER_OF]->(:Organization {id: $organization}) WHERE x_post.post = $post AND {{in_force(x_post)}} }
