"""The ``flake8-atomic-writes`` command: ``check``, ``fix``, ``explain`` and ``rules``.

``check`` and ``fix`` run the flake8 plugin's analysis with the same ``[flake8]``
configuration, and apply ``select``/``ignore``, ``per-file-ignores`` and ``noqa`` the way
flake8 does (``noqa.py``). ``fix`` imports the libcst fixer only for files with a fixable
finding. Exit status: 0 clean, 1 findings (or files changed), 2 usage or internal error.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import os
import sys
import tokenize
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Dict, Iterable, Iterator, List, Optional, Sequence, Set, Tuple

from . import __version__, baseline, settings_files
from .analysis import analyze_source
from .config import (
    OPTIONS,
    SELECT_ONLY,
    SELECTED,
    SHORT_FLAGS,
    Config,
    ConfigError,
    Switch,
    missing_root,
    parse_bool,
    unknown_keys,
)
from .discovery import Discovery
from .docs import render_rule
from .files import read_regular
from .lines import split_lines
from .project import lazy_view
from .report import FORMATS, IO_ERROR, SYNTAX_ERROR, Diagnostic, render, statistics
from .rules import OPT_IN, RULES, Finding

if TYPE_CHECKING:  # flake8 comes with the [lint] extra: imported only by check and fix
    from .noqa import CodeFilter

EXTRA_EXCLUDES = (".venv", "venv", "env", "build", "dist", "node_modules", "*.egg-info", "__pypackages__")
TOO_DEEP = "too deeply nested to parse"
PARALLEL_THRESHOLD = 5
PROGRESS_THRESHOLD = 50
LINT_EXTRA = "pip install 'flake8-atomic-writes[lint]'"
CLOSED_PIPE = 141  # 128 + SIGPIPE, what a shell reports for `yes | head -1`
OUTPUT_ERRORS = "backslashreplace"  # how characters the output cannot encode are written


class UsageError(Exception):
    """A bad command line or configuration: reported in one line, exit status 2."""


@dataclass(frozen=True)
class Settings:
    """Everything a worker process needs to check or fix one file."""

    config: Config
    code_filter: CodeFilter
    fix: bool = False
    unsafe_fixes: bool = False
    write: bool = False
    show_source: bool = False
    line_length: int = 79  # flake8's max-line-length: what a fix adds stays within it
    verdicts: bool = False  # check --format json: each finding's fix verdict, as fix decides it


@dataclass(frozen=True)
class Source:
    """A decoded Python file (or stdin) with what is needed to write it back unchanged."""

    display: str
    data: bytes  # as read: diffs are made from these bytes
    text: str
    encoding: str
    real_path: Optional[str]  # None for stdin


@dataclass(frozen=True)
class Outcome:
    """What happened to one file."""

    display: str
    diagnostics: Tuple[Diagnostic, ...] = ()
    fixed: int = 0
    new_text: Optional[str] = None  # set when a fix changed the file
    diff: bytes = b""
    notes: Tuple[str, ...] = field(default=())
    fixed_codes: Tuple[str, ...] = ()  # the code of each applied fix, for --show-fixes


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line; returns the exit status."""
    _printable_streams()
    args = _parser().parse_args(argv)
    try:
        _require(args)
        status: int = args.run(args)
        sys.stdout.flush()
        return status
    except BrokenPipeError:
        return _closed_pipe()
    except (UsageError, ConfigError) as exc:
        for line in str(exc).splitlines():
            print(f"flake8-atomic-writes: error: {line}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("flake8-atomic-writes: interrupted", file=sys.stderr)
        return 2
    except Exception as exc:  # an internal error: one clear line, never a traceback
        print(f"flake8-atomic-writes: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2


def _printable_streams() -> None:
    """File names need not be valid text (``\\xff.py``): print what cannot be encoded escaped."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors=OUTPUT_ERRORS)


def _closed_pipe() -> int:
    """The reader went away (``rules | head -1``): stop quietly, as a killed-by-SIGPIPE tool."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())  # so the interpreter's final flush cannot fail again
    return CLOSED_PIPE


def _require(args: argparse.Namespace) -> None:
    """``check`` and ``fix`` need the ``[lint]`` extra; say so in one line when it is missing."""
    missing = [name for name in getattr(args, "needs", ()) if importlib.util.find_spec(name) is None]
    if missing:
        raise UsageError(f"{args.command} needs {' and '.join(missing)}, not installed: {LINT_EXTRA}")


# -- argument parsing ------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="flake8-atomic-writes",
        description="Find non-atomic writes of state files, and fix them with atomic helpers.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="report non-atomic writes (flake8's output format)")
    _add_common(check)
    _add_report_flags(check)
    check.add_argument("--fix", action="store_true", help=argparse.SUPPRESS)  # answered: use `fix`
    check.set_defaults(run=_run_check, command="check", needs=("flake8",))

    fix = commands.add_parser("fix", help="rewrite non-atomic writes to use the atomic helpers")
    _add_common(fix)
    fix.add_argument("--unsafe-fixes", action="store_true", help="also apply fixes that may change behaviour")
    fix.add_argument("--diff", action="store_true", help="print a unified diff instead of writing files")
    fix.add_argument("--check", action="store_true", help="write nothing; exit 1 when a fix would change a file")
    fix.add_argument("--show-fixes", action="store_true", help="list the fixes applied, per file (as ruff)")
    fix.add_argument(
        "--max-line-length",
        metavar="N",
        help="flake8's option: wrap what a fix adds within N columns (default: the config's, else 79)",
    )
    fix.set_defaults(run=_run_fix, command="fix", needs=("flake8", "libcst"))

    explain = commands.add_parser("explain", help="print the documentation of a rule")
    explain.add_argument("code", metavar="CODE|NAME", help="a rule's code (AW101) or name (non-atomic-path-write)")
    explain.set_defaults(run=_run_explain)

    rules = commands.add_parser("rules", help="list the rules")
    rules.set_defaults(run=_run_rules)
    return parser


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (- for stdin)")
    parser.add_argument(
        "--config", metavar="FILE", help="read options from FILE: [flake8] of an INI file, [tool.flake8] of a .toml"
    )
    parser.add_argument(
        "--toml-config", metavar="FILE", help="Flake8-pyproject's option: [tool.flake8] of FILE, not ./pyproject.toml"
    )
    parser.add_argument("--isolated", action="store_true", help="ignore configuration files")
    parser.add_argument(
        "--stdin-filename",
        "--stdin-display-name",
        dest="stdin_filename",
        metavar="NAME",
        help="the name of the file read from stdin (flake8's --stdin-display-name)",
    )
    parser.add_argument("--format", "--output-format", dest="format", choices=FORMATS, default="text")
    parser.add_argument(
        "-j", "--jobs", type=_jobs, default=None, metavar="N|auto", help="worker processes (default: auto, all cores)"
    )
    for name in ("select", "ignore", "extend-select", "extend-ignore"):
        parser.add_argument(f"--{name}", metavar="CODES", help=f"flake8's --{name} (comma-separated)")
    parser.add_argument("--per-file-ignores", metavar="MAPPING", help="flake8's --per-file-ignores")
    parser.add_argument("--exclude", metavar="PATTERNS", help="replace the default excludes")
    parser.add_argument("--extend-exclude", metavar="PATTERNS", help="add to the excludes")
    parser.add_argument(
        "--force-exclude",
        action="store_true",
        default=None,
        help="apply the excludes to files named on the command line too (as pre-commit passes them)",
    )
    parser.add_argument(
        "--no-respect-gitignore",
        dest="respect_gitignore",
        action="store_false",
        default=None,
        help="also check files that .gitignore excludes",
    )
    for spec in OPTIONS:
        flags = [spec.flag, *([SHORT_FLAGS[spec.dest]] if spec.dest in SHORT_FLAGS else [])]
        if spec.is_switch:
            parser.add_argument(*flags, action=Switch, default=None, help=spec.help)
        else:
            parser.add_argument(*flags, metavar="VALUE", help=spec.help)


def _add_report_flags(parser: argparse.ArgumentParser) -> None:
    """flake8's reporting flags (also read from the config file, except --exit-zero and -o)."""
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    parser.add_argument("-o", "--output-file", metavar="FILE", help="write the report to FILE instead of stdout")
    parser.add_argument("--count", action="store_true", default=None, help="print the number of findings last")
    parser.add_argument("--statistics", action="store_true", default=None, help="count the findings of each code")
    parser.add_argument("--show-source", action="store_true", default=None, help="show the line of each finding")
    parser.add_argument("-q", "--quiet", action="count", default=None, help="-q: file names only; -qq: nothing")
    parser.add_argument(
        "--add-noqa", action="store_true", help="add # noqa: CODE to each finding's line (ruff's --add-noqa)"
    )
    parser.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in FILE")
    parser.add_argument(
        "--write-baseline", metavar="FILE", help="record today's findings in FILE (JSON) for --baseline"
    )


def _jobs(value: str) -> int:
    """``-j auto`` (all cores, 0 here) or a positive number of worker processes."""
    if value.strip().lower() == "auto":
        return 0
    try:
        jobs = int(value)
    except ValueError:
        jobs = -1
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not 'auto' or a positive number")
    return jobs


# -- configuration ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Options:
    """Command-line values over config-file values, with where each came from."""

    section: Dict[str, str]
    config_dir: str
    args: argparse.Namespace

    def get(self, dest: str) -> Optional[str]:
        value = getattr(self.args, dest, None)
        if value is not None:
            return str(value)
        return self.section.get(dest)

    def paths(self, dest: str) -> Optional[List[str]]:
        """A comma-separated path list; relative patterns are resolved like flake8 does."""
        cli = getattr(self.args, dest, None)
        value, parent = (cli, os.curdir) if cli is not None else (self.section.get(dest), self.config_dir)
        if value is None:
            return None
        from flake8 import utils

        paths: List[str] = utils.normalize_paths(utils.parse_comma_separated_list(value), parent)
        return paths

    def flag(self, dest: str) -> bool:
        """A switch: the command line, else the config file's boolean (flake8's spelling)."""
        value = getattr(self.args, dest, None)
        if value is not None:
            return bool(value)
        text = self.section.get(dest)
        return parse_bool(text, dest.replace("_", "-")) if text is not None else False

    def codes(self, dest: str) -> Optional[Tuple[str, ...]]:
        from flake8 import utils

        value = self.get(dest)
        return None if value is None else tuple(utils.parse_comma_separated_list(value))


def _options(args: argparse.Namespace, cwd: Optional[Path] = None) -> _Options:
    """The options of a run in ``cwd`` (default: the working directory)."""
    if args.isolated:
        return _Options({}, os.curdir, args)
    found = settings_files.load(cwd or Path.cwd(), args.config, args.toml_config)
    return _Options(found.section, found.directory, args)


def fix_settings(cwd: Path, argv: Sequence[str] = ()) -> Settings:
    """The settings of ``flake8-atomic-writes fix ARGV`` run in ``cwd``, for editors: the same
    config file, options and code filter; a relative project root is resolved against ``cwd``."""
    args = _parser().parse_args(["fix", *argv])
    settings = _settings(_options(args, cwd), warn=False, fix=True, unsafe_fixes=args.unsafe_fixes)
    root = settings.config.project_root
    if root and not os.path.isabs(root):
        settings = replace(settings, config=replace(settings.config, project_root=str(cwd / root)))
    return settings


def _settings(options: _Options, warn: bool = True, **kwargs: bool) -> Settings:
    from .noqa import CodeFilter

    if warn:
        _warn_unknown_codes(options)
        for key in unknown_keys(options.section):
            _warn(f"{key}: not an option of flake8-atomic-writes, ignored (`--help` lists them)")
    values: Dict[str, object] = {spec.dest: options.get(spec.dest) for spec in OPTIONS}
    values[SELECTED] = [*(options.codes("select") or ()), *(options.codes("extend_select") or ())]
    values[SELECT_ONLY] = list(options.codes("select") or ())
    config = Config.from_values(values)
    root_warning = missing_root(config) if warn else ""
    if root_warning:
        _warn(root_warning)
    code_filter = CodeFilter(
        select=options.codes("select"),
        ignore=options.codes("ignore"),
        extend_select=options.codes("extend_select") or (),
        extend_ignore=options.codes("extend_ignore") or (),
        per_file_ignores=_per_file_ignores(options.get("per_file_ignores") or ""),
    )
    if warn and not any(code_filter.selects_anywhere(code) for code in config.enabled):
        _warn(_nothing_selected(options))
    return Settings(config, code_filter, **kwargs)


def _warn(message: str) -> None:
    print(f"flake8-atomic-writes: warning: {message}", file=sys.stderr)


def _per_file_ignores(value: str) -> Tuple[Tuple[str, Tuple[str, ...]], ...]:
    """flake8's ``per-file-ignores``; a malformed value is a configuration error naming the option."""
    from flake8.exceptions import ExecutionError

    from .noqa import CodeFilter

    try:
        return CodeFilter.parse_per_file_ignores(value)
    except ExecutionError as exc:
        shown = " ".join(value.split())
        raise ConfigError(
            f"per-file-ignores: {shown!r} is not a mapping of file patterns to codes "
            "(expected e.g. `scripts/*: AW1, E501`, one or more per line)"
        ) from exc


def _nothing_selected(options: _Options) -> str:
    """Why no AW rule is reported: ``select`` (from the command line or the config) leaves them out."""
    given = [
        ("--" if getattr(options.args, dest) is not None else "") + dest.replace("_", "-") + " = " + ",".join(codes)
        for dest in CODE_OPTIONS
        for codes in [options.codes(dest)]
        if codes
    ]
    selected = [*(options.codes("select") or ()), *(options.codes("extend_select") or ())]
    opt_in = sorted(code for code in OPT_IN if code.startswith(tuple(selected)))
    hint = (
        f"; opt-in rules ({', '.join(opt_in)}) are turned on by their full code or atomic-writes-enable"
        if opt_in
        else ""
    )
    return (
        f"no AW rule is selected ({'; '.join(given)}), so nothing will be reported; "
        f"add AW to select (or pass --extend-select=AW){hint}"
    )


CODE_OPTIONS = ("select", "ignore", "extend_select", "extend_ignore")


def _warn_unknown_codes(options: _Options) -> None:
    """A code that no rule starts with selects or ignores nothing: say so (a typo, mostly).

    Config files are shared with flake8 and its other plugins, so only codes given on the
    command line, or ``AW`` codes in the config file, are checked.
    """
    known = (*RULES, SYNTAX_ERROR, IO_ERROR)
    for dest in CODE_OPTIONS:
        from_cli = getattr(options.args, dest, None) is not None
        for code in options.codes(dest) or ():
            if (from_cli or code.startswith("AW")) and not any(k.startswith(code) for k in known):
                flag = "--" + dest.replace("_", "-") if from_cli else dest.replace("_", "-")
                print(
                    f"flake8-atomic-writes: warning: {flag}: {code} matches no rule "
                    "(`flake8-atomic-writes rules` lists them)",
                    file=sys.stderr,
                )


def _files(options: _Options) -> List[str]:
    from flake8 import defaults as flake8_defaults

    paths = options.args.paths or ["."]
    exclude = options.paths("exclude")
    if exclude is None:
        exclude = [*flake8_defaults.EXCLUDE, *EXTRA_EXCLUDES]
    exclude += options.paths("extend_exclude") or []
    respect_gitignore = options.args.respect_gitignore
    discovery = Discovery(
        exclude=exclude,
        stdin_display_name=options.args.stdin_filename or "stdin",
        force_exclude=options.flag("force_exclude"),
        respect_gitignore=True if respect_gitignore is None else bool(respect_gitignore),
    )
    return discovery.files(paths)


# -- reading, checking and fixing one file ---------------------------------------------


def _decode(data: bytes, display: str, real_path: Optional[str]) -> Source:
    """Decode as Python would; when that fails, as latin-1, which is what flake8 falls back to
    (so a file that is not UTF-8 and has no coding line is checked, as flake8 checks it)."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return Source(display, data, data.decode(encoding), encoding, real_path)
    except (SyntaxError, UnicodeDecodeError, LookupError):
        return Source(display, data, data.decode("latin-1"), "latin-1", real_path)


def _read(path: str) -> Source:
    """A file named on the command line or found by the walk: a missing one, a symlink loop
    or a FIFO raises ``OSError`` (reported as E902, as flake8 does)."""
    return _decode(read_regular(path), path, os.path.realpath(path))


def _process_path(settings: Settings, path: str) -> Outcome:
    try:
        source = _read(path)
    except OSError as exc:
        return _error(path, IO_ERROR, f"{type(exc).__name__}: {exc}", 1, 0)
    return _with_source(settings, source, _process(settings, source))


def _with_source(settings: Settings, source: Source, outcome: Outcome) -> Outcome:
    """``--show-source``: give each diagnostic its physical line."""
    if not settings.show_source or not outcome.diagnostics:
        return outcome
    lines = split_lines(source.text)
    diagnostics = tuple(
        replace(d, source_line=lines[d.line - 1] if 0 < d.line <= len(lines) else "") for d in outcome.diagnostics
    )
    return replace(outcome, diagnostics=diagnostics)


def reported_findings(settings: Settings, source: Source) -> List[Finding]:
    """The findings ``check`` and ``fix`` report for one decoded file: analyzed with the
    project index (of the file's real path when known), then filtered as flake8 would.

    Raises ``SyntaxError``, ``ValueError`` or ``RecursionError`` for a file it cannot analyze.
    """
    from .noqa import reported

    project = lazy_view(source.real_path or source.display, [source.text], settings.config)
    findings = analyze_source(source.text, source.display, settings.config, project)
    return reported(findings, source.text, source.display, settings.code_filter)


def _process(settings: Settings, source: Source) -> Outcome:
    """Check (and, in fix mode, fix) one decoded file."""
    try:
        findings = reported_findings(settings, source)
    except SyntaxError as exc:  # at flake8's column: it reports the offset as a 0-based column
        return _error(source.display, SYNTAX_ERROR, f"SyntaxError: {exc.msg}", exc.lineno or 1, exc.offset or 0)
    except (ValueError, RecursionError, MemoryError) as exc:  # MemoryError: CPython's parser gave up
        return _error(source.display, SYNTAX_ERROR, f"{type(exc).__name__}: {exc or TOO_DEEP}", 1, 0)
    if settings.fix and any(f.fix for f in findings):
        return _fix(settings, source, findings)
    if settings.verdicts and any(f.fix and f.fix.applicability != "none" for f in findings):
        return Outcome(source.display, _verdicts(settings, source, findings))
    return Outcome(source.display, tuple(_diagnostic(source.display, f) for f in findings))


def _verdicts(settings: Settings, source: Source, findings: List[Finding]) -> Tuple[Diagnostic, ...]:
    """The findings with the fix verdict ``fix`` would give each site (libcst decides; without
    it, the analysis's hint: the most a fix could be)."""
    if importlib.util.find_spec("libcst") is None:
        return tuple(_diagnostic(source.display, f) for f in findings)
    from .fix.planner import site_verdicts

    verdicts = site_verdicts(source.text, findings, filename=source.display, config=settings.config)
    diagnostics = [_diagnostic(source.display, f, fix, note) for f, fix, note in verdicts]
    return tuple(sorted(diagnostics, key=lambda d: (d.line, d.col, d.code)))


def _fix(settings: Settings, source: Source, findings: List[Finding]) -> Outcome:
    from .fix.apply import fix_file  # libcst only when there is something to fix

    done = fix_file(
        source.text,
        findings,
        original=source.data,
        display=source.display,
        encoding=source.encoding,
        real_path=source.real_path,
        config=settings.config,
        unsafe=settings.unsafe_fixes,
        write=settings.write,
        line_length=settings.line_length,
    )
    if done.note:  # the file was not written: every finding stays, with the file's reason
        diagnostics = tuple(_diagnostic(source.display, f, None, done.reason, True) for f in findings)
        return Outcome(source.display, diagnostics, diff=done.diff, notes=(f"{source.display}: {done.note}",))
    result = done.result
    diagnostics = tuple(
        _diagnostic(source.display, n.finding, n.applicability, n.reason, True) for n in result.not_fixed
    )
    notes: Tuple[str, ...] = ()
    if result.error:
        notes = (f"{source.display}: not fixed: libcst cannot parse it: {result.error.splitlines()[0]}",)
    if done.new_text is None:
        return Outcome(source.display, diagnostics, notes=notes)
    codes = tuple(e.finding.code for e in result.applied)
    return Outcome(source.display, diagnostics, len(result.applied), done.new_text, done.diff, notes, codes)


def _diagnostic(
    path: str, finding: Finding, fix: Optional[str] = None, note: Optional[str] = None, not_fixed: bool = False
) -> Diagnostic:
    """A finding as reported: by default with its site's fix applicability and reason (the hint's)."""
    hint = finding.fix
    if fix is None:
        fix = hint.applicability if hint is not None else "none"
    if note is None:
        note = hint.reason if hint is not None else ""
    return Diagnostic(
        path,
        finding.line,
        finding.col,
        finding.code,
        finding.message,
        fix,
        note,
        not_fixed,
        confidence=finding.confidence,
        evidence=finding.evidence,
    )


def _error(path: str, code: str, message: str, line: int, col: int) -> Outcome:
    return Outcome(path, (Diagnostic(path, line, col, code, message),))


# -- running many files ----------------------------------------------------------------


def _run_all(settings: Settings, options: _Options) -> List[Outcome]:
    files = _files(options)
    outcomes = [_process_stdin(settings, options.args.stdin_filename)] if "-" in files else []
    files = [f for f in files if f != "-"]
    jobs = _job_count(options)
    if jobs > 1 and len(files) >= PARALLEL_THRESHOLD:
        chunksize = max(1, min(16, len(files) // (jobs * 4)))
        with ProcessPoolExecutor(max_workers=min(jobs, len(files))) as pool:
            results = pool.map(partial(_process_path, settings), files, chunksize=chunksize)
            outcomes += _with_progress(results, len(files))
    else:
        outcomes += _with_progress((_process_path(settings, f) for f in files), len(files))
    return sorted(outcomes, key=lambda o: o.display)


def _job_count(options: _Options) -> int:
    jobs: Optional[int] = options.args.jobs
    if jobs is None:
        text = options.section.get("jobs")
        try:
            jobs = _jobs(text) if text else 0
        except argparse.ArgumentTypeError as exc:
            raise UsageError(f"jobs = {text}: {exc}") from exc
    return jobs or os.cpu_count() or 1


def _process_stdin(settings: Settings, stdin_filename: Optional[str]) -> Outcome:
    source = _decode(sys.stdin.buffer.read(), stdin_filename or "stdin", None)
    return _with_source(settings, source, _process(settings, source))


def _with_progress(outcomes: Iterable[Outcome], total: int) -> Iterator[Outcome]:
    show = total >= PROGRESS_THRESHOLD and sys.stderr.isatty()
    for done, outcome in enumerate(outcomes, start=1):
        if show and (done % 25 == 0 or done == total):
            print(f"\r{done}/{total} files", end="", file=sys.stderr, flush=True)
        yield outcome
    if show:
        print("\r\033[K", end="", file=sys.stderr, flush=True)


def _diagnostics(outcomes: Iterable[Outcome]) -> List[Diagnostic]:
    return [d for o in outcomes for d in o.diagnostics]


# -- commands --------------------------------------------------------------------------


def _run_check(args: argparse.Namespace) -> int:
    if args.fix:
        raise UsageError("check only reports; to rewrite, run `flake8-atomic-writes fix` with the same arguments")
    options = _options(args)
    show_source = options.flag("show_source")
    lines = show_source or bool(args.baseline or args.write_baseline)  # the baseline keys on them
    settings = _settings(options, show_source=lines, verdicts=args.format == "json")
    diagnostics = _diagnostics(_run_all(settings, options))
    if args.write_baseline:
        recorded = baseline.write(args.write_baseline, diagnostics)
        print(f"recorded {recorded} finding{'s' if recorded != 1 else ''} in {args.write_baseline}", file=sys.stderr)
        return 0
    if args.baseline:
        diagnostics = baseline.new_only(diagnostics, args.baseline)
    if not show_source:
        diagnostics = [replace(d, source_line="") for d in diagnostics]
    if args.add_noqa:
        if "-" in args.paths:
            raise UsageError("--add-noqa edits files in place: it cannot take stdin (-)")
        return _add_noqa(diagnostics)
    report = _check_report(diagnostics, options)
    count = f"{len(diagnostics)}\n" if args.format == "text" and options.flag("count") else ""
    if args.output_file:  # as flake8: the report and statistics to the file, the count to stdout
        from . import atomic_write_text

        atomic_write_text(args.output_file, report, errors=OUTPUT_ERRORS)
        sys.stdout.write(count)
    else:
        sys.stdout.write(report + count)
    return 1 if diagnostics and not args.exit_zero else 0


def _add_noqa(diagnostics: List[Diagnostic]) -> int:
    """``--add-noqa``: a ``# noqa`` comment on every finding's line, in place; exit 0 as ruff does.

    Errors (E902, E999) are printed, not silenced: their files cannot take a comment."""
    from . import add_noqa

    wanted: Dict[str, Dict[int, Set[str]]] = {}
    for d in diagnostics:
        if d.code.startswith("AW"):
            wanted.setdefault(d.path, {}).setdefault(d.line, set()).add(d.code)
        else:
            print(f"{d.path}:{d.line}:{d.col + 1}: {d.code} {d.message}", file=sys.stderr)
    changed = 0
    for path, codes in wanted.items():
        source = _read(path)
        changed += add_noqa.write(path, source.text, source.encoding, codes)
    count = sum(len(c) for codes in wanted.values() for c in codes.values())
    print(f"added noqa for {count} finding{'s' if count != 1 else ''} in {changed} file{'s' if changed != 1 else ''}",
          file=sys.stderr)
    return 0


def _check_report(diagnostics: List[Diagnostic], options: _Options) -> str:
    """The report, then flake8's ``--statistics`` lines (``--count`` is printed after it)."""
    fmt, quiet = options.args.format, options.args.quiet or _quiet_from(options)
    if fmt != "text" or not quiet:
        report = render(diagnostics, fmt)
    else:
        report = "".join(f"{path}\n" for path in dict.fromkeys(d.path for d in diagnostics)) if quiet == 1 else ""
    if fmt == "text" and options.flag("statistics"):
        report += statistics(diagnostics)
    return report


def _quiet_from(options: _Options) -> int:
    text = options.section.get("quiet", "0").strip()
    if not text.isdigit():
        raise UsageError(f"quiet = {text}: not a number")
    return int(text)


def _run_fix(args: argparse.Namespace) -> int:
    options = _options(args)
    preview = args.diff or args.check
    settings = replace(
        _settings(options, fix=True, unsafe_fixes=args.unsafe_fixes, write=not preview),
        line_length=_line_length(options),
    )
    if args.paths == ["-"]:
        return _fix_stdin(settings, args)
    outcomes = _run_all(settings, options)
    changed = [o for o in outcomes if o.new_text is not None]
    remaining = _left(_diagnostics(outcomes))
    _print_notes(outcomes)
    if args.diff:
        _write_bytes(b"".join(o.diff for o in changed))
    else:
        sys.stdout.write(render(remaining, args.format))
    if args.show_fixes:
        _show_fixes(changed, preview)
    _summary(changed, remaining, preview)
    if preview:
        return 1 if changed else 0
    return 1 if changed or remaining else 0


def _fix_stdin(settings: Settings, args: argparse.Namespace) -> int:
    """``fix -``: the fixed source (or its diff) on stdout, everything else on stderr."""
    source = _decode(sys.stdin.buffer.read(), args.stdin_filename or "stdin", None)
    outcome = _process(settings, source)
    _print_notes([outcome])
    changed = outcome.new_text is not None
    if args.diff:
        _write_bytes(outcome.diff)
    elif not args.check:
        _write_bytes(outcome.new_text.encode(source.encoding) if outcome.new_text is not None else source.data)
    remaining = _left(list(outcome.diagnostics))
    sys.stderr.write(render(remaining, "text"))
    if args.show_fixes:
        _show_fixes([outcome] if changed else [], args.diff or args.check)
    _summary([outcome] if changed else [], remaining, args.diff or args.check)
    if args.diff or args.check:
        return 1 if changed else 0
    return 1 if changed or remaining else 0


def _line_length(options: _Options) -> int:
    """flake8's ``max-line-length``, from the command line or the config file (default 79)."""
    text = options.get("max_line_length")
    if text is None:
        return Settings.line_length
    if not text.strip().isdigit() or int(text) < 1:
        raise UsageError(f"max-line-length = {text}: not a positive number")
    return int(text)


def _write_bytes(data: bytes) -> None:
    """Source code and diffs go out as the file's own bytes, in its own encoding."""
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def _left(diagnostics: List[Diagnostic]) -> List[Diagnostic]:
    """What ``fix`` leaves, each marked not fixed, with a reason (findings without a hint have none)."""
    return [
        d if d.is_error else replace(d, not_fixed=True, fix_note=d.fix_note or "the rule has no automatic fix")
        for d in diagnostics
    ]


def _print_notes(outcomes: Iterable[Outcome]) -> None:
    """File-level notes (a read-only file, a write error, libcst cannot parse it) on stderr."""
    for note in (n for o in outcomes for n in o.notes):
        print(note, file=sys.stderr)


def _show_fixes(changed: List[Outcome], preview: bool) -> None:
    """``--show-fixes``: per file, how many fixes of each code, as ruff lists them (on stderr)."""
    total = sum(len(o.fixed_codes) for o in changed)
    if not total:
        return
    lines = [f"{'Would fix' if preview else 'Fixed'} {total} finding{'s' if total != 1 else ''}:"]
    for outcome in changed:
        lines.append(f"- {outcome.display}:")
        counts: Dict[str, int] = {}
        for code in outcome.fixed_codes:
            counts[code] = counts.get(code, 0) + 1
        lines += [f"    {n} \u00d7 {code} ({RULES[code].name})" for code, n in sorted(counts.items())]
    print("\n".join(lines), file=sys.stderr)


def _summary(changed: List[Outcome], remaining: List[Diagnostic], preview: bool) -> None:
    fixed = sum(o.fixed for o in changed)
    verb = "would fix" if preview else "fixed"
    unsafe = sum(1 for d in remaining if d.fix == "unsafe")
    hint = f" ({unsafe} fixable with --unsafe-fixes)" if unsafe else ""
    print(
        f"{verb} {fixed} finding{'s' if fixed != 1 else ''} in {len(changed)} "
        f"file{'s' if len(changed) != 1 else ''}; {len(remaining)} remaining{hint}",
        file=sys.stderr,
    )


def _run_explain(args: argparse.Namespace) -> int:
    wanted = args.code.strip()
    by_name = {rule.name: rule for rule in RULES.values()}
    rule = RULES.get(wanted.upper()) or by_name.get(wanted.lower())
    if rule is None:
        raise UsageError(f"unknown rule {args.code!r}; give a code ({', '.join(RULES)}) or a name (`rules` lists them)")
    print(render_rule(rule))
    return 0


def _run_rules(args: argparse.Namespace) -> int:
    rows = [("CODE", "NAME", "DEFAULT", "FIX")]
    rows += [(r.code, r.name, "on" if r.default_enabled else "opt-in", r.fix) for r in RULES.values()]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[3])
    return 0
