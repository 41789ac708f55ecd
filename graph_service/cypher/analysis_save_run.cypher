// Save one analysis run (time, parameters and summary as JSON) so staff can follow the trend after a fix.
CREATE (r:AnalysisRun {id: $id, at: $at, analysis: $analysis, params: $params, summary: $summary})
RETURN r.id AS id
