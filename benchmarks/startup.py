"""Measure what the foundation promises about start-up, and print a Markdown table for docs/benchmarks.md.

- `pybackend --help` against `python -c "import click"`: the CLI must stay under twice the cost of importing Click,
  which is why Copier and the questions are imported lazily.
- a project generated with the defaults: seconds from `python -m <package>` to the first 200 from /health.

Run from the repository root: `uv run python benchmarks/startup.py [--runs 20]`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent


def median_seconds(command: list[str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def first_health(project: Path, package: str) -> float:
    uv = shutil.which("uv")
    assert uv, "uv is needed"
    subprocess.run([uv, "sync", "--quiet"], cwd=project, check=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PORT": str(port), "HOST": "127.0.0.1"}
    env.pop("VIRTUAL_ENV", None)
    start = time.perf_counter()
    server = subprocess.Popen(
        [uv, "run", "python", "-m", package], cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        while time.perf_counter() - start < 60:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1) as response:
                    if response.status == 200:
                        return time.perf_counter() - start
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("no answer from /health within 60 s")
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    click_import = median_seconds([sys.executable, "-c", "import click"], runs)
    cli_help = median_seconds([str(BIN / "pybackend"), "--help"], runs)
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run(
            [str(BIN / "pybackend"), "new", "bench", "-y", "--no-git", "--output-dir", scratch],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        health = first_health(Path(scratch) / "bench", "bench")
    print(f"| measure | result ({runs} runs, median) |\n| --- | --- |")
    print(f'| `python -c "import click"` | {click_import * 1000:.0f} ms |')
    print(f"| `pybackend --help` | {cli_help * 1000:.0f} ms ({cli_help / click_import:.2f}x) |")
    print(f"| defaults project: `python -m bench` to first `/health` 200 | {health:.2f} s (one run) |")


if __name__ == "__main__":
    main()
