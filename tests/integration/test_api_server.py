"""``graph-service serve --demo``: seeds an empty store, prints an admin key once, serves GraphQL on it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx

from graph_service.api.auth import KeyRing
from graph_service.api.server import prepare_demo
from graph_service.bootstrap import bootstrap
from graph_service.config import Settings

from .conftest import free_port


def test_prepare_demo_seeds_once_and_creates_one_admin_key(tmp_path: Path):
    settings = Settings(data_dir=tmp_path)
    with bootstrap(settings) as services:
        key = prepare_demo(services, scale=0.01)
        assert key is not None
        principal = KeyRing(settings, services.keys).authenticate(key)
        assert principal is not None and principal.role.value == "admin"
        version = services.store.write_version()
        assert prepare_demo(services, scale=0.01) is None  # not seeded again, no second key
        assert services.store.write_version() == version
    assert (tmp_path / "ground_truth.json").is_file()


def test_prepare_demo_creates_no_key_when_keys_are_configured(tmp_path: Path):
    settings = Settings(data_dir=tmp_path, api_keys="viewer:some-configured-viewer-key")
    with bootstrap(settings) as services:
        assert prepare_demo(services, scale=0.01) is None


def test_serve_demo_end_to_end(tmp_path: Path):
    port = free_port()
    env = {**os.environ, "GRAPH_SERVICE_DATA_DIR": str(tmp_path), "GRAPH_SERVICE_API_KEYS": ""}
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("graph-service")), "serve", "--demo", "--scale", "0.01", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    try:
        lines: list[str] = []
        key = None
        deadline = time.monotonic() + 60
        assert process.stdout is not None
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
            match = re.search(r"Bearer (\S+)", line)
            if match:
                key = match.group(1)
            if "GraphQL at" in line:
                break
        assert key, "".join(lines)
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)
        response = httpx.post(
            f"{base}/graphql",
            json={"query": "{ areas(level: CITY) { edges { node { name } } } }"},
            headers={"Authorization": f"Bearer {key}"},
        )
        assert response.status_code == 200
        assert response.json()["data"]["areas"]["edges"][0]["node"]["name"] == "菏泽市"
    finally:
        process.terminate()
        process.wait(timeout=20)
