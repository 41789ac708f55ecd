// Compounds with an active owners' committee, located in the compound or under its branch.
MATCH (c:Area {level: 'compound'})<-[:LOCATED_IN]-(o:Organization {kind: 'owners_committee'})
WHERE o.dissolved IS NULL
RETURN DISTINCT c.id AS id
UNION
MATCH (c:Area {level: 'compound'})<-[:LEADS]-(:Organization {kind: 'compound_branch'})<-[:SUB_ORG_OF]-(o:Organization {kind: 'owners_committee'})
WHERE o.dissolved IS NULL
RETURN DISTINCT c.id AS id
