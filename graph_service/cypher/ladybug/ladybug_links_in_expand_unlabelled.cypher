// ladybug_links_in_expand with the far end written without its label, which LadybugDB 0.22 plans differently. Only
// for a type joining one pair of labels, where the far end can be nothing else (store.embedded.read_keyed checks).
UNWIND $ids AS key
MATCH (x:__target__ {id: key})
OPTIONAL MATCH (x)<-[r:__rel__]-(t)
RETURN x.id AS key, r, t
