MATCH (n:__label__)
RETURN count(n) AS n
