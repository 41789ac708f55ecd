// fragment link_from(s, r, t)
s.id = $source
