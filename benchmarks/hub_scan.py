"""Hub scanning speed and memory, against the local fake Hub (no network).

    python benchmarks/hub_scan.py [--models 2000] [--latency 0.02]

Models per second at 1, 4 and 16 workers (the real huggingface_hub client,
20 ms added to every request), and the peak memory of a whole
``g7lint scan`` process at 2,000 and 20,000 models, to show it stays flat.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CARD = ROOT / "examples" / "model-card.md"


class FakeHubProcess:
    """The fake Hub in a process of its own, so its work does not share this one's GIL."""

    def __init__(self, models: int, latency: float) -> None:
        command = [sys.executable, "-m", "tests.fakehub", "--models", str(models), "--latency", str(latency)]
        self.process = subprocess.Popen(
            [*command, "--card", str(CARD)], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self.process.stdout is not None
        self.base_url = self.process.stdout.readline().strip()

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


def models_per_second(hub: FakeHubProcess, workers: int, count: int) -> float:
    from g7lint.hub import HubQuery, HubSettings, scan_hub

    settings = HubSettings(endpoint=hub.base_url, token=False)
    start_time = time.perf_counter()
    seen = sum(1 for _ in scan_hub(HubQuery(author="bench", limit=count), workers=workers, settings=settings))
    elapsed = time.perf_counter() - start_time
    assert seen == count, seen
    return seen / elapsed


def peak_memory_mb(hub: FakeHubProcess, count: int, out: Path) -> float:
    env = {
        **os.environ,
        "HF_ENDPOINT": hub.base_url,
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "HF_HUB_DISABLE_IMPLICIT_TOKEN": "1",
    }
    env.pop("HF_HUB_OFFLINE", None)
    command = [sys.executable, "-m", "g7lint", "scan", "--author", "bench", "--limit", str(count), "--workers", "16"]
    subprocess.run([*command, "--out", str(out)], env=env, check=True, capture_output=True)
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.02)
    args = parser.parse_args()
    os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
    hub = FakeHubProcess(args.models, args.latency)
    try:
        for workers in (1, 4, 16):
            count = min(args.models, 300) if workers == 1 else args.models
            rate = models_per_second(hub, workers, count)
            print(f"{workers:>2} workers, {count} models, {args.latency * 1000:.0f} ms latency: {rate:7.1f} models/s")
    finally:
        hub.close()
    hub = FakeHubProcess(20_000, 0.0)
    try:
        with tempfile.TemporaryDirectory() as folder:
            for count in (2_000, 20_000):
                peak = peak_memory_mb(hub, count, Path(folder) / f"scan-{count}.jsonl")
                print(f"peak memory of 'g7lint scan' over {count:>6} models: {peak:6.0f} MB (max RSS so far)")
    finally:
        hub.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
