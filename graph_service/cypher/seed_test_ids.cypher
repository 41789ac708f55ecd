// Ids of the areas of one level (tests of the seed compare them with the ground truth).
MATCH (a:Area {level: $level})
RETURN a.id AS id
