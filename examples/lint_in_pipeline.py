"""Gate a model release on its card: run g7lint, print what is missing, fail the step.

python examples/lint_in_pipeline.py path/to/README.md
"""

from __future__ import annotations

import sys

import g7lint


def main(card_path: str) -> int:
    report = g7lint.lint_file(card_path)
    for result in report.requirements:
        if result.status == "fail":
            hint = result.near_miss or f"looked for {result.looked_for}"
            print(f"missing {result.id} (G7 action {result.principle}, {result.severity.value}): {hint}")
    blocking = [f for f in report.findings if f.severity.rank >= report.fail_on.rank and not f.suppressed]
    print(f"{card_path}: {'ready to release' if report.passed else f'{len(blocking)} blocking finding(s)'}")
    return 0 if report.passed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "examples/model-card.md"))
