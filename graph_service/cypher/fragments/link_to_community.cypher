// fragment link_to_community(s, r, t)
// The community committee $community itself, or the committee leading the community (area) $community.
(t.id = $community OR EXISTS { MATCH (t)-[:LEADS]->(:Area {id: $community}) })
