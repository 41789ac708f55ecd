// ladybug_links_out_expand with the far end written without its label, which LadybugDB 0.22 plans differently
// (often better: 93 committees' led areas 2.1 against 9 ms at scale 1, sometimes worse). Only for a type
// joining one pair of labels, where the far end can be nothing else (store.embedded.read_keyed checks).
UNWIND $ids AS key
MATCH (s:__source__ {id: key})
OPTIONAL MATCH (s)-[r:__rel__]->(t)
RETURN s.id AS key, r, t
