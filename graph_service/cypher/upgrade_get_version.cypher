// Which version of the derived properties the store holds (services/upgrades.py); none before the first.
MATCH (m:Meta {key: 'derived_version'})
RETURN m.value AS version
