"""It installs like a Python package: a wheel built from the sources, installed in a fresh venv outside the
repository, seeds a small city and serves it, GraphiQL's files included.

The wheel is built from a copy holding only what ``docker/Dockerfile`` copies (``pyproject.toml``, ``README.md``,
``graph_service/``), so a file the package reads from elsewhere in the repository fails here. Dependencies come from
the package index through pip's cache, installed without byte-compiling (the slow part, and not what is tested).
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.integration.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "graph_service"
ENV_KEY = "viewer:" + "wheel-test-viewer-key-0123456789"


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path
    workdir: Path

    def command(self, name: str) -> str:
        return str(self.venv / "bin" / name)

    def env(self, data_dir: Path) -> dict[str, str]:
        # Nothing of the repository: no PYTHONPATH, a working directory without .env or graphql/.
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GRAPH_SERVICE_", "PYTHON", "VIRTUAL_ENV"))}
        return {**env, "GRAPH_SERVICE_DATA_DIR": str(data_dir), "GRAPH_SERVICE_API_KEYS": ENV_KEY}


def _pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", *args], check=True, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(PACKAGE, source / "graph_service", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    wheels = base / "wheels"
    _pip("wheel", "--quiet", "--no-deps", "--wheel-dir", str(wheels), str(source))
    [wheel] = wheels.glob("graph_service-*.whl")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    _pip("--python", str(venv / "bin" / "python"), "install", "--quiet", "--no-compile", str(wheel))
    workdir = base / "work"
    workdir.mkdir()
    return Installed(wheel, venv, workdir)


def test_the_wheel_carries_the_package_data(installed: Installed):
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    for path in (
        "graph_service/cypher/api_key_get.cypher",
        "graph_service/cypher/ladybug/schema.cypher",
        "graph_service/cypher/neo4j/schema.cypher",
        "graph_service/graphql/schema.graphql",
        "graph_service/static/graphiql/page.js",
        "graph_service/static/vendor/MANIFEST.json",
    ):
        assert path in names, path
    manifest = json.loads((PACKAGE / "static" / "vendor" / "MANIFEST.json").read_text())
    for name, entry in manifest.items():
        for file_name in entry["files"]:
            assert f"graph_service/static/vendor/{name}/{file_name}" in names
    # Every file of the console (modules, styles, its contract) travels with the wheel.
    for asset in PACKAGE.joinpath("static", "console").rglob("*"):
        if asset.is_file():
            assert f"graph_service/{asset.relative_to(PACKAGE).as_posix()}" in names, asset
    # Every named query of the source tree travels with the wheel.
    for query in PACKAGE.joinpath("cypher").rglob("*.cypher"):
        assert f"graph_service/{query.relative_to(PACKAGE).as_posix()}" in names, query


def test_the_installed_package_is_imported_from_the_venv(installed: Installed):
    where = subprocess.run(
        [installed.command("python"), "-c", "import graph_service; print(graph_service.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=installed.workdir,
        env=installed.env(installed.workdir / "data"),
    ).stdout.strip()
    assert Path(where).is_relative_to(installed.venv), where


@pytest.fixture(scope="module")
def served(installed: Installed) -> Iterator[str]:
    data = installed.workdir / "data"
    env = installed.env(data)
    seeded = subprocess.run(
        [installed.command("graph-service"), "seed", "--profile", "heze", "--scale", "0.01"],
        capture_output=True,
        text=True,
        cwd=installed.workdir,
        env=env,
        timeout=300,
    )
    assert seeded.returncode == 0, seeded.stdout + seeded.stderr
    assert (data / "ground_truth.json").is_file()
    port = free_port()
    process = subprocess.Popen(
        [installed.command("graph-service"), "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=installed.workdir,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60  # a hang guard, not a speed check
        while True:
            if process.poll() is not None:
                output = process.stdout.read() if process.stdout else ""
                pytest.fail(f"serve stopped with status {process.returncode}: {output}")
            try:
                if httpx.get(f"{base}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("serve did not answer /healthz within 60 s")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_it_serves_health_and_graphql_with_a_key(served: str):
    health = httpx.get(f"{served}/healthz").json()
    assert health["status"] == "ok" and health["write_version"] > 0
    query = {"query": "{ areas(level: CITY) { edges { node { domainId name } } } }"}
    assert httpx.post(f"{served}/graphql", json=query).status_code == 401
    key = ENV_KEY.split(":", 1)[1]
    response = httpx.post(f"{served}/graphql", json=query, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200, response.text
    assert response.json()["data"]["areas"]["edges"] == [{"node": {"domainId": "hz", "name": "菏泽市"}}]


def test_it_serves_graphiql_and_its_files(served: str):
    page = httpx.get(f"{served}/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    urls = re.findall(r'<(?:script src|link rel="stylesheet" href)="([^"]+)"', page.text)
    assert len(urls) == 6
    for url in urls:
        response = httpx.get(served + url)
        path = url.split("?")[0].removeprefix("/static/")
        assert response.status_code == 200, url
        assert response.content == (PACKAGE / "static" / path).read_bytes(), url


def test_it_serves_the_console_and_its_files(served: str):
    page = httpx.get(f"{served}/console/coverage")
    assert page.status_code == 200
    # The stylesheet, app.js, and the two libraries app.js loads (named on the mount as data-echarts, data-cytoscape).
    named = r'(?:<script (?:type="module" )?src|<link rel="stylesheet" href|data-echarts|data-cytoscape)="([^"]+)"'
    urls = re.findall(named, page.text)
    imported = re.findall(r'"(/static/console/[^"]+[?]v=[^"]+)"', page.text)
    assert len(urls) == 4 and imported, page.text
    for url in urls + imported:
        response = httpx.get(served + url)
        path = url.split("?")[0].removeprefix("/static/")
        assert response.status_code == 200, url
        assert response.content == (PACKAGE / "static" / path).read_bytes(), url


def test_no_module_reads_files_outside_its_package():
    """A path built from ``__file__`` must stay inside ``graph_service/``: the repository is not installed."""
    for module in PACKAGE.rglob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        text = ast.unparse(tree)
        for match in re.finditer(r"Path\(__file__\)(?:\.resolve\(\))?((?:\.parent)*)(?:\.parents\[(\d+)\])?", text):
            ups = match.group(1).count(".parent") + (int(match.group(2)) + 1 if match.group(2) else 0)
            target = module.parents[ups - 1] if ups else module
            assert target.is_relative_to(PACKAGE), f"{module.relative_to(ROOT)} reaches {target} outside the package"
