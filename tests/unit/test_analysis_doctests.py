"""The docstring examples of the analysis modules run as tests (numpydoc examples that teach must also work)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import graph_service.analysis as analysis

MODULES = sorted(m.name for m in pkgutil.walk_packages(analysis.__path__, prefix="graph_service.analysis."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"


def test_public_analysis_functions_have_examples() -> None:
    from graph_service.analysis import chain, coverage, weakness

    for module in (coverage, chain, weakness):
        for name in module.__all__:
            obj = getattr(module, name)
            if callable(obj) and not isinstance(obj, type) and name[0].islower():
                assert ">>>" in (obj.__doc__ or ""), f"{module.__name__}.{name} has no example"
