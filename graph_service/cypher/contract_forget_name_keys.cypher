// The contract suite plays a store written before names had sort keys (services/upgrades.py fills them in).
MATCH (n:__label__)
SET n.name_key = NULL
