// Saved analysis runs with their per-organisation weakness JSON (null for runs saved before it was kept), newest
// first; $analysis null for every kind. The area filter is applied by the caller (it lives inside the params JSON).
MATCH (r:AnalysisRun)
WHERE $analysis IS NULL OR r.analysis = $analysis
RETURN r.id AS id, r.at AS at, r.analysis AS analysis, r.params AS params, r.weakness AS weakness
ORDER BY r.at DESC
