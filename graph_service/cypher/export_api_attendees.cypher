// Who was recorded as present at each activity (person ids only): the Popolo Events' attendees.
MATCH (p:Person)-[:ATTENDED]->(a:Activity)
RETURN a.id AS activity_id, p.id AS person_id
ORDER BY activity_id, person_id
