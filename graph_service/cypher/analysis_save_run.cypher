// Save one analysis run (time, parameters and summary as JSON) so staff can follow the trend after a fix; weakness
// holds each judged organisation's score and fired factors (JSON), read only by the per-organisation trend.
CREATE (r:AnalysisRun {id: $id, at: $at, analysis: $analysis, params: $params, summary: $summary, weakness: $weakness})
RETURN r.id AS id
