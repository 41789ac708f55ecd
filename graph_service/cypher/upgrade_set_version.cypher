// The store's derived properties are up to $version (services/upgrades.py).
MERGE (m:Meta {key: 'derived_version'})
SET m.value = $version
