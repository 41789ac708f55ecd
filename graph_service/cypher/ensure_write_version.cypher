MERGE (m:Meta {key: 'write_version'})
ON CREATE SET m.value = 0
