// fragment activity_of_kind(a, o)
a.kind = $kind
