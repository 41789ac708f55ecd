// Create one Person with every property of the catalogue (absent ones as null) and the derived name_key.
CREATE (n:Person {id: $id})
SET n.name = $name,
    n.name_key = $name_key,
    n.gender = $gender,
    n.birth_year = $birth_year,
    n.is_party_member = $is_party_member,
    n.employment = $employment,
    n.phone = $phone,
    n.address = $address,
    n.id_number = $id_number,
    n.left_on = $left_on
RETURN n
