"""README.md and docs/*.md: every relative link and anchor resolves, and every code block says its language."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.docs_markdown import ROOT, RUNNABLE, anchors, blocks, doc_files, github_slug, links

DOCS = doc_files()


def _relative(target: str) -> bool:
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and not target.startswith("mailto:")


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_and_anchor_resolves(doc: Path) -> None:
    broken = []
    for link in links(doc):
        if not _relative(link.target):
            continue
        parts = urlsplit(link.target)
        target = (doc.parent / unquote(parts.path)).resolve() if parts.path else doc
        if not target.exists():
            broken.append(f"{link.where}: {link.target} (no such file)")
        elif not target.is_relative_to(ROOT):
            broken.append(f"{link.where}: {link.target} (outside the repository)")
        elif parts.fragment:
            if target.suffix != ".md":
                broken.append(f"{link.where}: {link.target} (an anchor into a file that is not Markdown)")
            elif unquote(parts.fragment) not in anchors(target):
                broken.append(f"{link.where}: {link.target} (no heading with that anchor in {target.name})")
    assert broken == []


def test_every_page_of_docs_is_linked_from_the_readme() -> None:
    readme = ROOT / "README.md"
    linked = {(readme.parent / urlsplit(link.target).path).resolve() for link in links(readme) if _relative(link.target)}
    assert [p.name for p in DOCS[1:] if p not in linked] == []


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_code_block_says_its_language_and_markers_fit(doc: Path) -> None:
    """A fence without a language would hide commands from the examples test; a marker must mean something."""
    found = blocks(doc)
    assert [b.where for b in found if not b.lang] == [], "give each fenced block a language (text for output)"
    assert [b.where for b in found if b.not_run and b.lang not in RUNNABLE] == [], "`not run` marks bash/graphql"
    for index, block in enumerate(found):
        if block.is_output:
            previous = found[index - 1] if index else None
            assert previous is not None and previous.lang in RUNNABLE and not previous.not_run, (
                f"{block.where}: an output block follows the example it shows the answer of"
            )


def test_github_slugs() -> None:
    assert github_slug("Changing data, the audit trail, and feeds for integrations") == (
        "changing-data-the-audit-trail-and-feeds-for-integrations"
    )
    assert github_slug("Coverage gaps of a compound (CoverageGap, thresholds from DEFAULT_STANDARDS)") == (
        "coverage-gaps-of-a-compound-coveragegap-thresholds-from-default_standards"
    )
    assert github_slug("Mobilisation reach (analysis/mobilization.py, 平急结合)") == (
        "mobilisation-reach-analysismobilizationpy-平急结合"
    )


def test_the_domain_page_names_every_code_of_the_catalogue_with_its_label() -> None:
    """docs/domain.md keeps up with domain/enums.py: each code in a table row beside its Chinese label."""
    from graph_service.domain import enums

    rows = [line for line in (ROOT / "docs" / "domain.md").read_text(encoding="utf-8").splitlines() if line.startswith("|")]
    catalogue = [
        value
        for value in vars(enums).values()
        if isinstance(value, type) and issubclass(value, enums.LabeledEnum) and value is not enums.LabeledEnum
    ]
    assert len(catalogue) >= 15  # every LabeledEnum of the module, not an empty list by mistake
    missing = [
        f"{enum.__name__}.{member.value} ({member.label})"
        for enum in catalogue
        for member in enum
        if not any(f"`{member.value}`" in row and member.label in row for row in rows)
    ]
    assert missing == []
