"""GraphQL surface of the network analyses (merged into the root Query by ``graph_service.api.schema``).

Minimal first version: the thresholds in force. The analysis fields follow as their modules land.
"""

from __future__ import annotations

import dataclasses

import strawberry

from graph_service.domain.standards import DEFAULT_STANDARDS


@strawberry.type(description="A threshold the analyses apply (名称、默认值)")
class AnalysisThreshold:
    code: str
    value: float


@strawberry.type
class AnalysisQuery:
    @strawberry.field(description="The thresholds the analyses apply (DOMAIN.md standards)")
    def analysis_thresholds(self) -> list[AnalysisThreshold]:
        return [
            AnalysisThreshold(code=f.name, value=float(getattr(DEFAULT_STANDARDS, f.name)))
            for f in dataclasses.fields(DEFAULT_STANDARDS)
        ]


__all__ = ["AnalysisQuery"]
