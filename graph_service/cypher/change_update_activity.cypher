// Write every property of one Activity: the service passes the merged old and new values.
MATCH (n:Activity {id: $id})
SET n.kind = $kind,
    n.held_on = $held_on,
    n.attendance = $attendance,
    n.topic = $topic
RETURN n
