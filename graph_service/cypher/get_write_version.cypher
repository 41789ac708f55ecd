MATCH (m:Meta {key: 'write_version'})
RETURN m.value AS version
