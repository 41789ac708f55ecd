// Generated from graph_service/domain/schema.py by `graph-service schema ddl`. Do not edit.
UNWIND $rows AS r
MERGE (n:Person {id: r.id})
SET n.name = CAST(r.name AS STRING),
    n.gender = CAST(r.gender AS STRING),
    n.birth_year = CAST(r.birth_year AS INT64),
    n.is_party_member = CAST(r.is_party_member AS BOOLEAN),
    n.employment = CAST(r.employment AS STRING),
    n.phone = CAST(r.phone AS STRING),
    n.address = CAST(r.address AS STRING),
    n.id_number = CAST(r.id_number AS STRING),
    n.left_on = CAST(r.left_on AS DATE)
