"""Who may do what: the roles an API key carries (the access model the API enforces field by field)."""

from __future__ import annotations

from enum import StrEnum

from graph_service.errors import Problem, ValidationError


class Role(StrEnum):
    VIEWER = "viewer"
    ANALYST = "analyst"
    INTEGRATION = "integration"
    EDITOR = "editor"
    ADMIN = "admin"

    @classmethod
    def parse(cls, value: str) -> Role:
        try:
            return cls(value.strip().lower())
        except ValueError:
            allowed = ", ".join(r.value for r in cls)
            raise ValidationError([Problem("role", f"unknown role; use one of {allowed}", value)]) from None


__all__ = ["Role"]
