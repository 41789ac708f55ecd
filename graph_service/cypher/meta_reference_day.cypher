// The day a store's data is judged by when a request names none (a seeded demo city: the day it was generated).
MATCH (m:Meta {key: 'reference_day'})
RETURN m.value AS ordinal
