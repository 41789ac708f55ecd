"""``.env.example`` names every setting of ``graph_service/config.py`` and its values are the defaults.

A setting added to config.py without a line here fails this test: add the line, with a comment saying what it
is for.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from pydantic_settings import BaseSettings

from graph_service.config import AnalysisSettings, Neo4jSettings, Settings

ENV_EXAMPLE = Path(__file__).resolve().parents[2] / ".env.example"
SETTINGS: tuple[type[BaseSettings], ...] = (Settings, AnalysisSettings, Neo4jSettings)


def _variables(cls: type[BaseSettings]) -> dict[str, str]:
    """Environment variable -> field name, for the scalar fields (nested settings classes have their own)."""
    prefix = str(cls.model_config.get("env_prefix", ""))
    out = {}
    for name, info in cls.model_fields.items():
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseSettings):
            continue
        out[(prefix + name).upper()] = name
    return out


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for variable in list(os.environ):
        if variable.startswith(("GRAPH_SERVICE_", "NEO4J_")):
            monkeypatch.delenv(variable)
    monkeypatch.chdir(tmp_path)  # no .env of the developer's is read


def test_every_setting_has_a_line() -> None:
    text = ENV_EXAMPLE.read_text(encoding="utf-8")
    named = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))
    missing = sorted(v for cls in SETTINGS for v in _variables(cls) if v not in named)
    assert missing == [], f".env.example lacks {missing}"


@pytest.mark.usefixtures("clean_environment")
def test_its_values_are_the_defaults() -> None:
    for cls in SETTINGS:
        scalar = set(_variables(cls).values())
        from_file = cls(_env_file=ENV_EXAMPLE).model_dump(include=scalar)
        defaults = cls(_env_file=None).model_dump(include=scalar)
        assert from_file == defaults, cls.__name__
