// fragment link_from_unit_type(s, r, t)
s.unit_type = $unit_type
