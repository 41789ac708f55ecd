// fragment activity_held_to(a, o)
a.held_on <= $held_to
