// The area itself: its level and the populations recorded on it (city and districts carry them).
MATCH (a:Area {id: $area_id})
RETURN a.level AS level, a.resident_population AS resident_population, a.urban_population AS urban_population,
       a.platform_people_served AS platform_people_served
