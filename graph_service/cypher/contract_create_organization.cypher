// Contract suite: one property of every type the catalogue has on a node.
CREATE (o:Organization {
  id: $id, kind: $kind, name: $name, has_plaque: $has_plaque, founded: $founded, dissolved: $dissolved,
  five_haves: $five_haves, capacity: $capacity
})
