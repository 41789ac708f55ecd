// The contract suite plays a store that no version has upgraded yet.
MATCH (m:Meta {key: 'derived_version'})
SET m.value = 0
