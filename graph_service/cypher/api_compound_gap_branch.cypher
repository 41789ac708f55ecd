// Compounds led by an active compound Party branch (the complement has the gap "no branch").
MATCH (c:Area {level: 'compound'})<-[:LEADS]-(b:Organization {kind: 'compound_branch'})
WHERE b.dissolved IS NULL
RETURN DISTINCT c.id AS id
