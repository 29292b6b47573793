"""Start-up cost of the g7lint command, as whole processes.

    python benchmarks/startup.py [--repeat 10] [--baseline OTHER/bin/g7lint]

Times ``g7lint --version`` and ``g7lint check`` on one shipped card, best and
median of several runs, using the installed console script; ``check`` is timed
with the policy cache and with ``G7LINT_NO_CACHE=1``, whose difference is what
the cache saves, and with ``--format sarif`` and ``--format json`` (the one
output that imports pydantic, to serialise the report), and on a card whose
folder has a ``[tool.g7lint]`` section. ``--baseline`` times
another install's command in turns with this one, for a before/after figure
on a machine whose speed drifts. Bytecode caching is allowed (as in any pip install) and a
first run warms it. Then, each in a fresh process, parts of that cost:
reading and validating the shipped policy (from its YAML, and from the cache;
pydantic and the policy's classes are imported before the clock starts, so the
first includes building pydantic's validator and the second only unpickling)
compiling the cached policy for the core (with the literal tables the entry
keeps, and reading the literals from the patterns afresh), and compiling
every statement pattern in the core, which a one-card run never does but
which bounds what pattern compilation can cost.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


PARTS = {
    "policy from YAML": """
from pydantic import TypeAdapter  # pydantic's schema machinery, imported as the old models imported it
from g7lint.policy import loader
start = time.perf_counter(); loader._validated(str(loader.shipped_policy_path()))
""",
    "policy from cache": """
from g7lint.policy import cache, model
key = cache.shipped_key()
start = time.perf_counter(); assert isinstance(cache.load(key), model.Policy)
""",
    "compile the cached policy": """
from g7lint.policy import cache, loader
policy = cache.load(cache.shipped_key())
start = time.perf_counter(); loader.compile_policy(policy, trusted=True)
""",
    "  the same, literals afresh": """
from g7lint.policy import cache, loader
policy = cache.load(cache.shipped_key())
object.__setattr__(policy, "_literal_tables", None)  # as before the cache kept them
start = time.perf_counter(); loader.compile_policy(policy, trusted=True)
""",
    "compile every statement": """
from g7lint.policy.loader import compile_policy, load_policy
evidencer = compile_policy(load_policy()).evidencer
start = time.perf_counter(); evidencer.check()
""",
}


def timed(commands: list[list[str]], repeat: int, extra_env: dict[str, str] | None = None) -> list[list[float]]:
    """Seconds per run of each command, the commands taking turns so that a machine's drift
    falls on all of them alike."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env.update(extra_env or {})
    for command in commands:
        subprocess.run(command, capture_output=True, check=False, env=env)  # warm the bytecode cache
    runs: list[list[float]] = [[] for _ in commands]
    for _ in range(repeat):
        for command, seconds in zip(commands, runs, strict=True):
            start = time.perf_counter()
            subprocess.run(command, capture_output=True, check=False, env=env)
            seconds.append(time.perf_counter() - start)
    return runs


def summary(seconds: list[float]) -> str:
    return f"best {min(seconds) * 1000:6.0f} ms   median {statistics.median(seconds) * 1000:6.0f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument(
        "--baseline",
        metavar="G7LINT",
        help="another install's g7lint command (e.g. an older build's venv/bin/g7lint), timed in turns with this one",
    )
    args = parser.parse_args()
    beside = Path(sys.executable).parent / "g7lint"
    g7lint = str(beside) if beside.exists() else shutil.which("g7lint") or "g7lint"
    executables = [g7lint, *([args.baseline] if args.baseline else [])]
    card = str(ROOT / "examples" / "model-card.md")
    scratch = tempfile.TemporaryDirectory(prefix="g7lint-startup-")  # removed when the script ends
    repository = Path(scratch.name)  # a card beside a [tool.g7lint] section
    (repository / "pyproject.toml").write_text('[tool.g7lint]\nfail-on = "warning"\nignore = ["G706"]\n')
    configured = str(repository / "README.md")
    shutil.copyfile(card, configured)
    for label, arguments, extra_env in (
        ("g7lint --version", ["--version"], None),
        ("g7lint check <one card>", ["check", card], None),
        ("  the same, no cache", ["check", card], {"G7LINT_NO_CACHE": "1"}),
        ("  the same, --format sarif", ["check", card, "--format", "sarif"], None),
        ("  the same, --format json", ["check", card, "--format", "json"], None),
        ("  with a pyproject config", ["check", configured], None),
    ):
        runs = timed([[executable, *arguments] for executable in executables], args.repeat, extra_env)
        print(f"{label:<26} {summary(runs[0])}" + (f"   baseline {summary(runs[1])}" if args.baseline else ""))
    subprocess.run([g7lint, "check", card], capture_output=True, check=False)  # the cache entry exists
    for label, code in PARTS.items():
        print(f"{label:<26} {summary([part_seconds(code) for _ in range(args.repeat)])}")
    return 0


def part_seconds(code: str) -> float:
    """Seconds from ``start`` to the end of ``code``, run in a fresh interpreter."""
    script = "import time\n" + code.strip() + "\nprint(time.perf_counter() - start)\n"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    sys.exit(main())
