// Write every property of one Person (the service passes the merged old and new values) and the derived name_key.
MATCH (n:Person {id: $id})
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
