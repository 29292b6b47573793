"""The ``g7lint`` command: a thin shell over the library.

Parse the arguments, build the objects, run, print, return an exit code.
Heavy modules are imported inside the commands that need them, so
``g7lint --version`` starts in a few milliseconds.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from g7lint._version import __version__
from g7lint.formats import FORMATS

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2

_EPILOG = """\
exit codes:
  0  no finding at or above --fail-on (or --exit-zero)
  1  at least one finding at or above --fail-on
  2  g7lint could not do its job: bad option, unreadable file, invalid config or policy
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="g7lint",
        description="Check AI model cards against the G7 Hiroshima Process Code of Conduct.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"g7lint {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser(
        "check",
        help="lint model cards (files, directories, or - for standard input)",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="cards or folders (default: .)")
    check.add_argument("--format", choices=tuple(FORMATS), default="text", help="output format (default: text)")
    check.add_argument("--output", "-o", type=Path, help="write the output to this file instead of standard output")
    check.add_argument("--policy", help="policy name or file (default: g7-hiroshima-2023)")
    check.add_argument(
        "--select",
        type=_csv,
        action="extend",
        help="only these rules: codes, names or code prefixes (G703); repeatable",
    )
    check.add_argument("--extend-select", type=_csv, action="extend", help="rules to add to the selection; repeatable")
    check.add_argument(
        "--ignore", type=_csv, action="extend", help="skip these rules: codes, names or code prefixes; repeatable"
    )
    check.add_argument("--fail-on", choices=("error", "warning", "info", "never"), help="lowest severity that fails")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when findings fail the check")
    check.add_argument("--config", type=Path, help="use this config file (pyproject.toml or .g7lint.yaml)")
    check.add_argument("--isolated", action="store_true", help="ignore every config file")
    check.add_argument("--stdin-filename", help="the name to report for a card read from standard input")
    check.add_argument("--show-suppressed", action="store_true", help="list suppressed findings in text output")
    check.add_argument(
        "--show-requirements",
        "--statistics",
        action="store_true",
        help="text output: each card's verdict on every requirement, by G7 action",
    )
    check.add_argument("--quiet", "-q", action="store_true", help="text output: the finding lines only, no summary")
    check.add_argument("--verbose", "-v", action="store_true", help="say which files a folder search skipped, and why")
    check.add_argument(
        "--force-exclude",
        action="store_true",
        help="apply the config's exclude to files named on the command line too (the pre-commit hook sets it)",
    )
    check.add_argument(
        "--color", choices=("auto", "always", "never"), default="auto", help="colour text output (default: auto)"
    )

    scan = commands.add_parser(
        "scan",
        help="lint many Hub models (or a parquet dump of cards) into a JSONL results file",
        epilog="exit codes: 0 the scan finished; 2 it could not run or the listing failed (rerun with --resume)",
    )
    scan.add_argument("--out", "-o", type=Path, required=True, help="JSONL results file (one line per model)")
    scan.add_argument("--author", help="only models of this user or organisation")
    scan.add_argument("--search", help="only models whose id contains this")
    scan.add_argument("--filter", action="append", default=[], help="only models with this tag (repeatable)")
    scan.add_argument(
        "--sort", choices=("downloads", "likes", "created_at", "last_modified", "trending_score"), help="listing order"
    )
    scan.add_argument("--limit", type=_count, help="at most this many models")
    scan.add_argument(
        "--workers",
        type=_positive_int,
        help="parallel downloads (default 8) or processes for --dump (default: all cores)",
    )
    scan.add_argument("--resume", action="store_true", help="continue an interrupted scan of --out: nothing twice")
    scan.add_argument(
        "--since", type=Path, help="reuse results of models whose commit is unchanged in this earlier file"
    )
    scan.add_argument("--dump", type=Path, help="lint a parquet dump of Hub cards instead of calling the API")
    scan.add_argument(
        "--timeout", type=_seconds, default=15.0, help="seconds before a Hub request is abandoned (default 15)"
    )
    scan.add_argument(
        "--retries",
        type=_count,
        default=5,
        help="retries after a 429, 5xx or dropped connection (default 5)",
    )
    scan.add_argument(
        "--max-wait",
        type=_seconds,
        default=120.0,
        help="longest wait a rate limit (429 Retry-After) may impose; beyond it the model is an error (default 120)",
    )
    scan.add_argument("--policy", help="policy name or file")

    report = commands.add_parser("report", help="summarise a results file; write an HTML report or PNG charts")
    report.add_argument(
        "results", type=Path, help="JSONL from 'g7lint scan' (or JSON from 'g7lint check --format json')"
    )
    report.add_argument("--html", type=Path, help="write one self-contained HTML report here")
    report.add_argument("--png", type=Path, metavar="DIR", help="write the charts as PNG files into this folder")

    commands.add_parser("rules", help="list every rule: code, name, G7 action, default severity").add_argument(
        "--policy", help="policy name or file"
    )
    explain = commands.add_parser("explain", help="explain a rule: what it checks, why, how to fix")
    explain.add_argument("rule", help="a rule code (G70303) or name (limitations)")
    explain.add_argument("--policy", help="policy name or file")

    crosswalk = commands.add_parser(
        "crosswalk",
        help="draft a reporting framework's document (OECD HAIP, EU Model Documentation Form) from a card",
        epilog="exit codes: 0 the draft was written; 2 the card could not be read or the framework is unknown",
    )
    crosswalk.add_argument("card", help="a card file, or hf://org/model[@revision]")
    crosswalk.add_argument("--to", required=True, metavar="FRAMEWORK", help="oecd-haip or eu-gpai-mdf")
    crosswalk.add_argument("--format", choices=("markdown", "json"), default="markdown", help="default: markdown")
    crosswalk.add_argument("--output", "-o", type=Path, help="write the draft to this file")
    crosswalk.add_argument("--policy", help="policy name or file")

    fix = commands.add_parser(
        "fix",
        help="add a heading with guidance for each requirement a card is missing (never text that counts)",
        epilog="exit codes: 0 done (or nothing to add); 2 the card cannot be read, written, or is a symlink",
    )
    fix.add_argument("card", type=Path, help="the card file to scaffold")
    fix.add_argument("--diff", action="store_true", help="print a unified diff and write nothing")
    fix.add_argument(
        "--add-metadata",
        action="store_true",
        help="add 'license:' from a LICENSE file beside the card, if it names one",
    )
    fix.add_argument("--policy", help="policy name or file")

    policy = commands.add_parser("policy", help="work with policy files")
    policy_commands = policy.add_subparsers(dest="policy_command", metavar="ACTION", required=True)
    validate = policy_commands.add_parser("validate", help="validate a policy file")
    validate.add_argument("file", type=Path)
    return parser


def _csv(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _count(value: str) -> int:
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return number


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return number


def _seconds(value: str) -> float:
    import math

    number = float(value)
    if not math.isfinite(number) or number <= 0:
        raise argparse.ArgumentTypeError(f"must be a number of seconds above 0, not {value}")
    return number


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits on --help, --version and bad usage
        return int(exc.code) if isinstance(exc.code, int) else EXIT_ERROR
    if args.command is None:
        parser.print_help()
        return EXIT_ERROR
    from g7lint.errors import G7lintError

    try:
        if args.command == "check":
            return _check(args)
        if args.command == "scan":
            return _scan(args)
        if args.command == "report":
            return _report(args)
        if args.command == "rules":
            return _rules(args)
        if args.command == "explain":
            return _explain(args)
        if args.command == "crosswalk":
            return _crosswalk(args)
        if args.command == "fix":
            return _fix(args)
        return _policy_validate(args)
    except G7lintError as exc:
        _error(str(exc))
        return EXIT_ERROR
    except OSError as exc:  # a path that cannot be read or written, a full disk: say which, and stop
        where = f"{exc.filename}: " if exc.filename else ""
        _error(f"{where}{exc.strerror or exc}")
        return EXIT_ERROR
    except KeyboardInterrupt:
        _error("interrupted")
        return 130


def _error(message: str) -> None:
    print(f"g7lint: error: {message}", file=sys.stderr)


def _check(args: argparse.Namespace) -> int:
    from g7lint.errors import G7lintError
    from g7lint.findings import Report
    from g7lint.formats import FormatInput, render_stream
    from g7lint.run import CardJob, RunSettings, config_for, discover, lint_job, policy_for

    overrides = {
        "policy": args.policy,
        "select": args.select,
        "extend_select": args.extend_select,
        "ignore": [*args.ignore] if args.ignore else None,
        "fail_on": args.fail_on,
        "force_exclude": True if args.force_exclude else None,
    }
    settings = RunSettings(config_path=args.config, isolated=args.isolated, overrides=overrides)
    if args.paths == ["-"]:
        name = args.stdin_filename or "<stdin>"
        config = config_for(Path(args.stdin_filename or "."), settings, {})
        jobs = [CardJob(name, config, sys.stdin.buffer.read())]
    else:
        if "-" in args.paths:
            raise G7lintError("'-' (standard input) cannot be mixed with other paths")
        skipped: list[str] = []
        jobs = discover(args.paths, settings, skipped)
        if args.verbose:
            for note in skipped:
                print(f"g7lint: {note}", file=sys.stderr)
    color = args.color == "always" or (
        args.color == "auto" and args.output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    )
    policies = [policy_for(job.config) for job in jobs] or [policy_for(config_for(Path.cwd(), settings, {}))]
    run = FormatInput(
        (), policies[0], color, args.show_suppressed, args.show_requirements, args.quiet, policies=policies
    )
    failed = 0

    def reports() -> Iterator[Report]:  # one at a time: a check of many cards holds one report, not all
        nonlocal failed
        for job in jobs:
            report = lint_job(job)
            failed += not report.passed
            yield report

    _write_pieces(render_stream(args.format, reports(), run), args.output)
    if args.exit_zero or not failed:
        return EXIT_OK
    return EXIT_FINDINGS


def _scan(args: argparse.Namespace) -> int:
    from g7lint.hub.results import done_ids, read_records

    _check_results_path(args.out)
    total = None  # a Hub listing's length is unknown (--limit is only a bound): the bar counts, with no ETA
    if args.dump is not None:
        from g7lint.hub.dump import dump_rows

        total = dump_rows(args.dump)
    done = done_ids(args.out) if args.resume else set()
    previous = {r.id: r for r in read_records(args.since)} if args.since else {}  # before --out is created
    created = not args.out.exists()
    try:
        written = _run_scan(args, done, previous, total)
    except BaseException:
        if created:
            _remove_if_empty(args.out)  # a scan that wrote nothing leaves nothing, so the rerun needs no --resume
        raise
    if created and written == 0:
        _remove_if_empty(args.out)
        print("g7lint: no models matched; nothing was written", file=sys.stderr)
    return EXIT_OK


def _check_results_path(path: Path) -> None:
    from g7lint.errors import G7lintError

    if path.is_dir():
        raise G7lintError(f"{path}: is a folder; --out names a results file")
    if not path.parent.is_dir():
        raise G7lintError(f"{path}: folder {path.parent} does not exist")


def _remove_if_empty(path: Path) -> None:
    if path.is_file() and path.stat().st_size == 0:
        path.unlink()


def _run_scan(args: argparse.Namespace, done: set[str], previous: dict[str, Any], total: int | None) -> int:
    """Run the scan into ``args.out``; return how many records were written."""
    from g7lint.hub.results import open_results
    from g7lint.progress import ScanProgress

    written = 0
    with open_results(args.out, args.resume) as handle, ScanProgress(total) as progress:
        progress.skipped(len(done))
        if args.dump is not None:
            from g7lint.hub.dump import scan_dump_lines

            for line in scan_dump_lines(
                args.dump, workers=args.workers, policy_source=args.policy, skip=done.__contains__
            ):
                handle.write(line + "\n")
                handle.flush()
                written += 1
                progress.advance(_status_of(line))
        else:
            from g7lint.hub.scan import HubQuery, HubSettings, scan_hub
            from g7lint.policy.loader import load_policy

            query = HubQuery(args.author, args.search, tuple(args.filter), args.sort, args.limit)
            records = scan_hub(
                query,
                workers=args.workers or 8,
                policy=load_policy(args.policy),
                settings=HubSettings(timeout=args.timeout, retries=args.retries, max_wait=args.max_wait),
                skip=done.__contains__,
                previous=previous,
            )
            for record in records:
                handle.write(record.model_dump_json() + "\n")
                handle.flush()
                written += 1
                progress.advance(record.status)
    print(progress.summary(args.out), file=sys.stderr)
    return written


def _report(args: argparse.Namespace) -> int:
    from g7lint.reporting.stats import summarise
    from g7lint.reporting.text_summary import render_summary

    summary = summarise(args.results)
    sys.stdout.write(render_summary(summary))
    if args.html is not None:
        from g7lint.reporting.html_report import render_report

        _write(render_report(summary, str(args.results)), args.html)
        print(f"g7lint: wrote {args.html}", file=sys.stderr)
    if args.png is not None:
        from g7lint.reporting.charts import write_pngs

        written = write_pngs(summary, args.png)
        print(f"g7lint: wrote {len(written)} charts to {args.png}", file=sys.stderr)
    return EXIT_OK


def _status_of(line: str) -> str:
    marker = '"status":"'
    start = line.find(marker)
    return line[start + len(marker) : line.find('"', start + len(marker))] if start >= 0 else "error"


def _write_pieces(pieces: Iterable[str], output: Path | None) -> None:
    """Write output as it is produced: to stdout (flushed per piece), or to ``output``."""
    from g7lint.errors import G7lintError

    if output is None:
        for piece in pieces:
            sys.stdout.write(piece)
            sys.stdout.flush()
        return
    try:
        with open(output, "w", encoding="utf-8") as handle:
            for piece in pieces:
                handle.write(piece)
    except OSError as exc:
        raise G7lintError(f"{output}: cannot write output: {exc.strerror or exc}") from None


def _write(text: str, output: Path | None) -> None:
    _write_pieces((text,), output)


def _rules(args: argparse.Namespace) -> int:
    from g7lint.policy.loader import load_policy

    policy = load_policy(args.policy)
    rows = [("CODE", "NAME", "ACTION", "SEVERITY", "TITLE")]
    for rule in policy.all_rules():
        rows.append((rule.code, rule.name, str(rule.principle or "-"), rule.severity.value, rule.title))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4])) + "  " + row[4])
    return EXIT_OK


def _explain(args: argparse.Namespace) -> int:
    from g7lint.docs import find_rule, rule_page
    from g7lint.errors import G7lintError
    from g7lint.policy.loader import load_policy

    policy = load_policy(args.policy)
    rule = find_rule(policy, args.rule)
    if rule is None:
        raise G7lintError(f"unknown rule '{args.rule}' (see 'g7lint rules')")
    sys.stdout.write(rule_page(rule, policy))
    return EXIT_OK


def _crosswalk(args: argparse.Namespace) -> int:
    from g7lint.errors import G7lintError
    from g7lint.frameworks import crosswalk, load_framework, render_markdown
    from g7lint.run import CardJob, RunSettings, config_for, lint_job, policy_for
    from g7lint.safe_text import escape_json_controls

    framework = load_framework(args.to)  # an unknown framework fails before the card is read
    settings = RunSettings(overrides={"policy": args.policy})
    path = Path(args.card)
    if not args.card.startswith("hf://") and not path.is_file():
        raise G7lintError(f"{args.card}: no such card file")
    config = config_for(path if path.exists() else Path.cwd(), settings, {})
    draft = crosswalk(lint_job(CardJob(args.card, config)), framework, policy_for(config))
    if args.format == "json":
        text = escape_json_controls(draft.model_dump_json(indent=2)) + "\n"
    else:
        text = render_markdown(draft)
    _write(text, args.output)
    return EXIT_OK


def _fix(args: argparse.Namespace) -> int:
    import difflib

    from g7lint.errors import G7lintError
    from g7lint.fix import fix_card_text
    from g7lint.policy.loader import load_policy

    card: Path = args.card
    if card.is_symlink():
        raise G7lintError(f"{card}: is a symbolic link; fix the file it points to")
    if not card.is_file():
        raise G7lintError(f"{card}: no such card file")
    if not args.diff and not os.access(card, os.W_OK):
        raise G7lintError(f"{card}: cannot be written")
    try:
        with open(card, encoding="utf-8", newline="") as handle:  # newline="": CRLF cards stay CRLF
            text = handle.read()
    except UnicodeDecodeError:
        raise G7lintError(f"{card}: not UTF-8 text; re-save it as UTF-8 first") from None
    licence = None
    if args.add_metadata:
        for name in ("LICENSE", "LICENSE.txt", "LICENSE.md", "COPYING"):
            beside = card.parent / name
            if beside.is_file():
                licence = beside.read_text(encoding="utf-8", errors="replace")
                break
    fixed = fix_card_text(text, str(card), policy=load_policy(args.policy), licence_file=licence)
    if args.diff:
        diff = difflib.unified_diff(
            text.splitlines(keepends=True), fixed.text.splitlines(keepends=True), str(card), str(card)
        )
        sys.stdout.writelines(diff)
        return EXIT_OK
    if fixed.text != text:
        with open(card, "w", encoding="utf-8", newline="") as handle:
            handle.write(fixed.text)
    print(f"g7lint: {card}: {len(fixed.added)} addition(s)" + "".join(f"\n  {a}" for a in fixed.added), file=sys.stderr)
    return EXIT_OK


def _policy_validate(args: argparse.Namespace) -> int:
    from g7lint.errors import PolicyError
    from g7lint.policy.validate import validate_policy_file

    problems = validate_policy_file(args.file)
    if not problems:
        print(f"{args.file}: valid policy")
        return EXIT_OK
    for problem in problems:
        print(problem)
    if any("cannot read policy" in p for p in problems):
        raise PolicyError(problems[0])
    return EXIT_FINDINGS


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
