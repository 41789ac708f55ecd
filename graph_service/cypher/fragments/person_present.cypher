// fragment person_present(p)
p.left_on IS NULL
