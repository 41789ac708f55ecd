// Projection (graph_service/analysis/projection.py): every area with its properties, one bulk read.
MATCH (n:Area)
WHERE true {{filters(n)}}
RETURN n.id AS id, n.level AS level, n.name AS name, n.code AS code, n.compound_kind AS compound_kind,
       n.households AS households, n.resident_population AS resident_population,
       n.urban_population AS urban_population, n.platform_people_served AS platform_people_served,
       n.abolished AS abolished
