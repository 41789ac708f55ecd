// Every area's level and id: what the embedded store's index of areas by level is built from (LadybugStore).
MATCH (a:Area)
RETURN a.level AS value, a.id AS id
