// Record the day the store's data is judged by when a request names none, as a proleptic Gregorian ordinal.
MERGE (m:Meta {key: 'reference_day'})
SET m.value = $ordinal
RETURN m.value AS ordinal
