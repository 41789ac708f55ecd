// Projection: every person WITHOUT personal data (name, phone, address, id_number stay in the store).
MATCH (n:Person)
WHERE true {{filters(n)}}
RETURN n.id AS id, n.gender AS gender, n.birth_year AS birth_year, n.is_party_member AS is_party_member,
       n.employment AS employment, n.left_on AS left_on
