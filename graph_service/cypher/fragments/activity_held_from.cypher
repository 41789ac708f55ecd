// fragment activity_held_from(a, o)
a.held_on >= $held_from
