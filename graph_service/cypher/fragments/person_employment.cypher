// fragment person_employment(p)
p.employment = $employment
