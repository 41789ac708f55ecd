"""The vendored browser libraries are exactly the release builds ``web/package-lock.json`` pins, with licences.

``scripts/vendor_assets.sh`` copies them into ``graph_service/static/vendor/`` and writes ``MANIFEST.json``
(version, tarball integrity, file checksums). These tests check the committed files against that manifest and
the manifest against the lock; the last one fetches the pinned tarballs through npm and compares byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
VENDOR = ROOT / "graph_service" / "static" / "vendor"


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def wanted() -> dict[str, list[str]]:
    vendor: dict[str, list[str]] = _json(WEB / "package.json")["vendor"]
    return vendor


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    data: dict[str, Any] = _json(VENDOR / "MANIFEST.json")
    return data


@pytest.fixture(scope="module")
def lock() -> dict[str, Any]:
    data: dict[str, Any] = _json(WEB / "package-lock.json")
    return data


def test_every_vendored_package_is_pinned_exactly(wanted, lock):
    dependencies = _json(WEB / "package.json")["dependencies"]
    for name in wanted:
        locked = lock["packages"][f"node_modules/{name}"]
        # An exact version in package.json, the same in the lock: a re-run of the script gives the same files.
        assert dependencies[name] == locked["version"], name
        assert locked["integrity"].startswith("sha512-"), name


def test_the_manifest_matches_the_lock(wanted, manifest, lock):
    assert set(manifest) == set(wanted)
    for name, files in wanted.items():
        locked = lock["packages"][f"node_modules/{name}"]
        entry = manifest[name]
        assert (entry["version"], entry["integrity"]) == (locked["version"], locked["integrity"]), name
        assert {f: v["from"] for f, v in entry["files"].items()} == {Path(f).name: f for f in files}, name
        assert "LICENSE" in entry["files"], f"{name} is vendored without its licence"


def test_the_committed_files_match_the_manifest(manifest):
    expected = {"MANIFEST.json"}
    for name, entry in manifest.items():
        for file_name, meta in entry["files"].items():
            path = VENDOR / name / file_name
            assert path.is_file(), f"{path} is in the manifest but not committed: run scripts/vendor_assets.sh"
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            assert digest == meta["sha256"], f"{path} differs from the release build: run scripts/vendor_assets.sh"
            expected.add(f"{name}/{file_name}")
    present = {p.relative_to(VENDOR).as_posix() for p in VENDOR.rglob("*") if p.is_file()}
    assert present == expected, "files in static/vendor/ that no package of web/package.json accounts for"


def test_the_files_are_the_release_builds_on_the_registry(manifest, tmp_path):
    npm = shutil.which("npm")
    if npm is None:
        message = "npm is not installed: the byte-for-byte check against the npm registry needs it (Node.js 18+)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    specs = [f"{name}@{entry['version']}" for name, entry in manifest.items()]
    packed = subprocess.run(
        [npm, "pack", *specs, "--json", "--silent", "--pack-destination", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
        cwd=tmp_path,
    )
    tarballs = {item["name"]: item for item in json.loads(packed.stdout)}
    for name, entry in manifest.items():
        tarball = tarballs[name]
        assert tarball["version"] == entry["version"]
        assert tarball["integrity"] == entry["integrity"], f"{name}: the registry's tarball is not the one the lock pins"
        with tarfile.open(tmp_path / tarball["filename"]) as archive:
            for file_name, meta in entry["files"].items():
                member = archive.extractfile(f"package/{meta['from']}")
                assert member is not None, f"{name} has no {meta['from']}"
                assert member.read() == (VENDOR / name / file_name).read_bytes(), f"{name}/{file_name}"
