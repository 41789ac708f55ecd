// Every node of a label: the tests compare whole snapshots to prove a refused change wrote nothing.
MATCH (n:__label__)
RETURN n
