"""The project's Markdown (README.md and docs/*.md) as the doc tests read it: fenced blocks, links and anchors.

A block can carry a marker, an HTML comment on the line right before its fence (invisible on GitHub):

- ``<!-- not run: <reason> -->``: an example the examples test cannot run (it serves until stopped, needs
  Docker ...); the test reports it as skipped with the reason.
- ``<!-- output -->``: the block shows what the example right before it answers (a ```json block for a GraphQL
  example: the response; a ```text block for a shell example: what it prints); the test compares them.

Parsing is markdown-it's (CommonMark), so what counts as a block, a heading or a link is what a renderer sees.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

ROOT = Path(__file__).resolve().parents[1]
NOT_RUN = re.compile(r"^<!--\s*not run:\s*(?P<reason>.+?)\s*-->\s*$", re.DOTALL)
OUTPUT = re.compile(r"^<!--\s*output\s*-->\s*$")
#: Languages of the examples the examples test runs.
RUNNABLE = ("bash", "graphql")


def doc_files() -> list[Path]:
    """README.md, then every page of docs/ by name: the order the examples test runs their blocks in."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


@dataclass(frozen=True)
class Block:
    """One fenced code block: where it is, its language, its text and its marker (if any)."""

    path: Path
    line: int  # 1-based line of the opening fence
    lang: str
    text: str
    not_run: str | None = None
    is_output: bool = False

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


@dataclass(frozen=True)
class Link:
    path: Path
    line: int
    target: str

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


@cache
def _tokens(path: Path) -> list[Token]:
    return MarkdownIt("commonmark").enable("table").parse(path.read_text(encoding="utf-8"))


def blocks(path: Path) -> list[Block]:
    """The fenced blocks of one file, in order, each with the marker on the HTML comment just before it."""
    found: list[Block] = []
    tokens = _tokens(path)
    for index, token in enumerate(tokens):
        if token.type != "fence" or token.map is None:
            continue
        before = tokens[index - 1] if index else None
        marker = before.content.strip() if before is not None and before.type == "html_block" else ""
        adjacent = before is not None and before.map is not None and before.map[1] == token.map[0]
        not_run = NOT_RUN.match(marker) if adjacent else None
        found.append(
            Block(
                path=path,
                line=token.map[0] + 1,
                lang=token.info.strip().split(" ")[0],
                text=token.content,
                not_run=not_run.group("reason") if not_run else None,
                is_output=bool(adjacent and OUTPUT.match(marker)),
            )
        )
    return found


def links(path: Path) -> list[Link]:
    """Every link target of one file (inline links and images), with the line it is on."""
    found: list[Link] = []
    for token in _tokens(path):
        if token.type != "inline" or token.map is None:
            continue
        for child in token.children or []:
            target = child.attrGet("href") if child.type == "link_open" else None
            target = child.attrGet("src") if child.type == "image" else target
            if isinstance(target, str):
                found.append(Link(path, token.map[0] + 1, target))
    return found


def anchors(path: Path) -> set[str]:
    """The anchors GitHub gives the headings of one file (``github_slug``, ``-1``, ``-2`` ... for repeats)."""
    seen: dict[str, int] = {}
    out: set[str] = set()
    tokens = _tokens(path)
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        slug = github_slug(_plain(tokens[index + 1]))
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        out.add(slug if count == 0 else f"{slug}-{count}")
    return out


def github_slug(text: str) -> str:
    """GitHub's heading anchor: lower case, letters, digits, marks, ``-`` and ``_`` kept, spaces to ``-``."""
    kept = "".join(ch for ch in text.lower() if ch in " -_" or unicodedata.category(ch)[0] in "LNM")
    return kept.replace(" ", "-")


def _plain(inline: Token) -> str:
    """The text of a heading as GitHub slugs it: the text and code spans, without markup."""
    return "".join(child.content for child in inline.children or [] if child.type in ("text", "code_inline"))
