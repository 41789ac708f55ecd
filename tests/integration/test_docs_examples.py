"""Every shell and GraphQL example of README.md and docs/*.md runs as printed against the Heze demo city.

The test does what the README's quick start does: ``graph-service serve --demo`` in an empty directory (at a small
scale, on a free loopback port), with the admin key it prints as ``$KEY``. Then it runs each ```bash and ```graphql
block in document order (README.md first, then docs/ by name): shell blocks in ``bash -euo pipefail`` with the
environment the docs tell the user to set up, GraphQL blocks over HTTP. A block marked ``<!-- not run: reason -->``
is reported as skipped with its reason; a block marked ``<!-- output -->`` must equal what the example before it
answered. How to write a runnable example: docs/development.md, "The documentation is tested".
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from graph_service.domain.records import NodeRecord
from graph_service.seed.heze import generate
from graphql import OperationDefinitionNode, parse
from tests.docs_markdown import RUNNABLE, Block, blocks, doc_files
from tests.integration.conftest import free_port

#: The demo city the examples run against: small enough for every test run, and every id the examples use
#: exists at every scale (docs/dataset.md, "Ids that exist at every scale"; checked at scale 1 below).
SCALE = "0.01"
#: The scale scripts/demo.sh seeds (`graph-service serve --demo` without --scale).
DEMO_SCALE = 1.0
#: The address the docs write; the test server's takes its place.
DOCUMENTED_ADDRESS = "127.0.0.1:8000"
#: A hang guard, not a speed requirement: the slowest example (the whole city's analyses) takes seconds.
EXAMPLE_TIMEOUT = 300
CURL_BODY = re.compile(r"""(?:-d|--data(?:-raw)?)\s+'([^']*)'""")


@dataclass(frozen=True)
class Example:
    block: Block
    output: Block | None = None

    @property
    def id(self) -> str:
        return f"{self.block.where}-{self.block.lang}"


def examples() -> list[Example]:
    found: list[Example] = []
    for path in doc_files():
        file_blocks = blocks(path)
        for index, block in enumerate(file_blocks):
            if block.lang not in RUNNABLE:
                continue
            following = file_blocks[index + 1] if index + 1 < len(file_blocks) else None
            found.append(Example(block, following if following is not None and following.is_output else None))
    return found


EXAMPLES = examples()


@dataclass
class Demo:
    """The running demo: its URL, the admin key it printed, a viewer key's id, and where the examples run."""

    url: str
    key: str
    key_id: str
    workdir: Path
    env: dict[str, str]
    log: list[str] = field(default_factory=list)

    def graphql(self, document: str, operation: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"query": document}
        if operation:
            body["operationName"] = operation
        response = httpx.post(
            f"{self.url}/graphql", json=body, headers={"Authorization": f"Bearer {self.key}"}, timeout=EXAMPLE_TIMEOUT
        )
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer


def _environment(workdir: Path) -> dict[str, str]:
    """The user's shell after scripts/bootstrap.sh: the venv's commands first, no settings of the caller's own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GRAPH_SERVICE_", "NEO4J_"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["HOME"] = str(workdir)
    return env


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    workdir = tmp_path_factory.mktemp("demo")
    env = _environment(workdir)
    port = free_port()
    command = [shutil.which("graph-service", path=env["PATH"]) or "graph-service", "serve", "--demo", "--scale", SCALE]
    server = subprocess.Popen(
        [*command, "--port", str(port)], cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    log: list[str] = []
    reader = threading.Thread(target=lambda: log.extend(server.stdout or []), daemon=True)
    reader.start()
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # a hang guard: seeding at this scale takes about a second
        while not _healthy(url):
            assert server.poll() is None, f"serve --demo stopped: {''.join(log)}"
            assert time.monotonic() < deadline, f"serve --demo did not answer: {''.join(log)}"
            time.sleep(0.2)
        printed = re.search(r"Authorization: Bearer (\S+)", "".join(log))
        assert printed, f"serve --demo printed no admin key: {''.join(log)}"
        key = printed.group(1)
        # $KEY_ID in the docs: the id of a key to revoke, as `graph-service keys list` shows it.
        admin = {"Authorization": f"Bearer {key}"}
        made = httpx.post(f"{url}/admin/keys", json={"role": "viewer", "note": "docs examples"}, headers=admin)
        assert made.status_code == 201, made.text
        env.update(KEY=key, KEY_ID=made.json()["api_key"]["id"])
        yield Demo(url, key, env["KEY_ID"], workdir, env, log)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.id)
def test_the_example_runs_as_printed(example: Example, demo: Demo) -> None:
    block = example.block
    if block.not_run:
        pytest.skip(f"{block.where} is marked not run: {block.not_run}")
    if block.lang == "graphql":
        answers = _run_graphql(demo, block)
        if example.output is not None:
            assert answers[-1] == json.loads(example.output.text), f"{example.output.where} shows another answer"
        else:
            # A refused mutation answers with HTTP 200 and its user errors in the payload: only an example that
            # shows that answer (an output block) may be refused.
            refused = [found for answer in answers for found in _user_errors(answer.get("data"))]
            assert refused == [], f"{block.where} was refused: {refused}"
    else:
        printed = _run_shell(demo, block)
        if example.output is not None:
            assert printed.strip() == example.output.text.strip(), f"{example.output.where} shows other output"


def _run_graphql(demo: Demo, block: Block) -> list[dict[str, Any]]:
    """Each operation of the block, in order; none may answer with errors."""
    operations = [d for d in parse(block.text).definitions if isinstance(d, OperationDefinitionNode)]
    assert operations, f"{block.where}: a graphql block without an operation"
    answers = []
    for operation in operations:
        name = operation.name.value if operation.name else None
        if len(operations) > 1:
            assert name, f"{block.where}: name each operation of a block that holds several"
        answer = demo.graphql(block.text, name)
        assert "errors" not in answer, f"{block.where} ({name or 'the operation'}): {answer['errors']}"
        answers.append(answer)
    return answers


def _user_errors(data: Any) -> list[Any]:
    """Every non-empty ``errors`` list of a mutation payload anywhere in ``data``."""
    if isinstance(data, dict):
        own = data.get("errors")
        found = [own] if isinstance(own, list) and own else []
        return found + [e for key, value in data.items() if key != "errors" for e in _user_errors(value)]
    if isinstance(data, list):
        return [e for item in data for e in _user_errors(item)]
    return []


def _run_shell(demo: Demo, block: Block) -> str:
    script = block.text.replace(DOCUMENTED_ADDRESS, demo.url.removeprefix("http://"))
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=demo.workdir,
        env=demo.env,
        capture_output=True,
        text=True,
        timeout=EXAMPLE_TIMEOUT,
    )
    assert done.returncode == 0, f"{block.where} exited with {done.returncode}:\n{done.stdout}\n{done.stderr}"
    for body in CURL_BODY.findall(block.text):
        request = json.loads(body)
        answer = demo.graphql(request["query"], request.get("operationName"))
        assert "errors" not in answer, f"{block.where}: the curl body {body} answers {answer['errors']}"
        assert _user_errors(answer.get("data")) == [], f"{block.where}: the curl body {body} was refused"
    return done.stdout


def test_examples_are_found_and_some_run() -> None:
    """The parametrised test above would pass on no examples at all: make sure the docs were read."""
    runnable = [e for e in EXAMPLES if not e.block.not_run]
    assert len(runnable) >= 10
    assert {e.block.lang for e in runnable} == set(RUNNABLE)
    assert any(e.output is not None for e in runnable)


@pytest.mark.slow
def test_the_ids_the_examples_use_exist_in_the_city_demo_sh_seeds() -> None:
    """The test city is small; the README's reader gets scale 1. Every demo id an example names exists there too."""
    named = {m for e in EXAMPLES if not e.block.not_run for m in re.findall(r"\bhz(?:-[a-z0-9]+)*\b", e.block.text)}
    ids = {r.id for r in generate(DEMO_SCALE, 7).records if isinstance(r, NodeRecord)}
    assert named and sorted(named - ids) == []
