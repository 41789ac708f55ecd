// fragment person_party_member(p)
p.is_party_member = true
