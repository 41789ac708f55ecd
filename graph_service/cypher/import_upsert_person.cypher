// Generated from graph_service/domain/schema.py by `graph-service schema ddl`. Do not edit.
UNWIND $rows AS r
MERGE (n:Person {id: r.id})
SET n.name = r.name,
    n.gender = r.gender,
    n.birth_year = r.birth_year,
    n.is_party_member = r.is_party_member,
    n.employment = r.employment,
    n.phone = r.phone,
    n.address = r.address,
    n.id_number = r.id_number,
    n.left_on = r.left_on,
    n.name_key = r.name_key
