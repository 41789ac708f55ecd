// fragment of_unit_type(o)
o.unit_type = $unit_type
