// Create one Area with every property of the catalogue (absent ones as null) and the derived name_key.
CREATE (n:Area {id: $id})
SET n.level = $level,
    n.name = $name,
    n.name_key = $name_key,
    n.code = $code,
    n.compound_kind = $compound_kind,
    n.households = $households,
    n.resident_population = $resident_population,
    n.urban_population = $urban_population,
    n.platform_people_served = $platform_people_served,
    n.abolished = $abolished
RETURN n
