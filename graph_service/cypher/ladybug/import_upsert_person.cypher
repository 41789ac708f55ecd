// Generated from graph_service/domain/schema.py by `graph-service schema ddl`. Do not edit.
LOAD FROM $rows
MERGE (n:Person {id: id})
SET n.name = name,
    n.gender = gender,
    n.birth_year = birth_year,
    n.is_party_member = is_party_member,
    n.employment = employment,
    n.phone = phone,
    n.address = address,
    n.id_number = id_number,
    n.left_on = left_on,
    n.name_key = name_key
