// fragment link_in_force(s, r, t)
{{in_force(r)}}
