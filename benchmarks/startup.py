"""Start-up cost of the g7lint command, as whole processes.

    python benchmarks/startup.py [--repeat 10]

Times ``g7lint --version`` and ``g7lint check`` on one shipped card, best and
median of several runs, using the installed console script. Bytecode caching
is allowed (as in any pip install) and a first run warms it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(command: list[str], repeat: int) -> tuple[float, float]:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(command, capture_output=True, check=False, env=env)  # warm the bytecode cache
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False, env=env)
        runs.append(time.perf_counter() - start)
    return min(runs), statistics.median(runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    g7lint = shutil.which("g7lint") or str(Path(sys.executable).parent / "g7lint")
    for label, command in (
        ("g7lint --version", [g7lint, "--version"]),
        ("g7lint check <one card>", [g7lint, "check", str(ROOT / "examples" / "model-card.md")]),
    ):
        best, median = timed(command, args.repeat)
        print(f"{label:<26} best {best * 1000:6.0f} ms   median {median * 1000:6.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
