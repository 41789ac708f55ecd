MATCH (m:Meta {key: 'audit_seq'})
RETURN m.value AS seq
