// Contract suite (tests/contract): written in the subset both engines share.
CREATE (a:Area {id: $id, level: $level, name: $name, households: $households})
