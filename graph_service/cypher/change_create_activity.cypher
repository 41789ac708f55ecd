// Create one Activity with every property of the catalogue (absent ones as null).
CREATE (n:Activity {id: $id})
SET n.kind = $kind,
    n.held_on = $held_on,
    n.attendance = $attendance,
    n.topic = $topic
RETURN n
