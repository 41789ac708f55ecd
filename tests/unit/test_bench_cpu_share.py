"""``bench/bench_cpu_share.py`` counts a server's CPU with its descendants' (Postgres serves each client from a child
of the postmaster): the figures it prints are only as good as that sum."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from bench_cpu_share import cpu_seconds

SPIN = (
    "import time\nend = time.process_time() + 0.4\nwhile time.process_time() < end: pass\n"
    "print('spun', flush=True)\ntime.sleep(30)"
)


def test_a_process_tree_counts_its_descendants_cpu() -> None:
    before = cpu_seconds(os.getpid())
    child = subprocess.Popen([sys.executable, "-c", SPIN], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "spun"
        assert cpu_seconds(child.pid) >= 0.35
        assert cpu_seconds(os.getpid()) - before >= 0.35  # the child's 0.4 s, found below this process
    finally:
        child.kill()
        child.wait()
    time.sleep(0.05)
    assert cpu_seconds(child.pid) == 0.0  # gone: nothing read
