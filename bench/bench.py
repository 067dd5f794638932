"""How long clerk-lint takes on a tree, beside the floor: tree-sitter parsing the same files alone.

    python bench/make_tree.py /tmp/big && python bench/bench.py /tmp/big
    python bench/bench.py /tmp/big --runs 10 --json bench/results/big.json
    python bench/bench.py /tmp/big --breakdown          # the engine's time by stage and by rule
    python bench/bench.py /tmp/big --profile            # the same with cProfile, function by function

Measured, each as the best of --runs (default 5):

- parse only: read the bytes of every code file the scan would read and parse them with the same
  grammar (one parser per grammar, reused), nothing else. The floor a scan cannot go below.
- engine: ``clerk_lint.engine.run()`` imported and called in this process (discovery, reading,
  parsing, the project model, every rule, suppressions, sorting); the first (cold) call is shown
  too, since a real run is always cold.
- CLI: ``clerk-lint check TREE --format json`` in a fresh process: start-up, imports, the scan, and
  writing the report.
- start-up: ``clerk-lint --version`` (Python start-up plus the CLI's own imports).
- pre-commit: the CLI on 5 files of the tree given as paths, the way the pre-commit hook runs.

No numbers are asserted: this is run by hand and its results go in the README.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import shutil
import subprocess
import sys
import time
from pathlib import Path


def best_of(runs: int, fn) -> tuple[float, float, object]:
    """(best seconds, first-run seconds, fn's last result)."""
    times = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), times[0], result


def cli_command() -> list[str]:
    """The installed console script next to this interpreter, else ``python -m clerk_lint``."""
    script = Path(sys.executable).with_name("clerk-lint")
    if script.exists():
        return [str(script)]
    found = shutil.which("clerk-lint")
    return [found] if found else [sys.executable, "-m", "clerk_lint"]


def run_cli(args: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess:
    done = subprocess.run([*cli_command(), *args], capture_output=True, cwd=cwd)
    if done.returncode not in (0, 1):
        sys.exit(f"clerk-lint {' '.join(args)} failed with exit code {done.returncode}:\n{done.stderr.decode(errors='replace')}")
    return done


def code_files(tree: Path):
    """The files a scan reads and parses, found by clerk-lint's own discovery (same excludes, same
    .gitignore handling), as (path, grammar)."""
    from clerk_lint.config import discover as find_config
    from clerk_lint.discovery import discover, find_root
    from clerk_lint.source import CODE

    root = find_root([tree])
    config = find_config(tree, root)
    found = discover([tree], root, config.exclude, config.base)  # as engine.run() calls it
    return [(c.path, c.grammar) for c in found.files if c.kind == CODE], len(found.files), config


def parse_only(files) -> int:
    from clerk_lint.parsing import _parser

    total = 0
    for path, grammar in files:
        data = path.read_bytes()
        total += len(data)
        _parser(grammar).parse(data)
    return total


def pick_precommit_files(tree: Path, files) -> list[Path]:
    """Five staged-looking files: a route handler, a page, a component, a lib helper, a .env file."""
    wanted = ("/route.ts", "/page.tsx", "/components/", "/lib/", ".py")
    chosen = []
    for marker in wanted:
        for path, _ in files:
            if marker in path.as_posix() and path not in chosen:
                chosen.append(path)
                break
    env = sorted(tree.rglob(".env.production"))
    if env:
        chosen[-1] = env[0]
    return chosen[:5]


def _bucket(filename: str, function: str) -> str:
    """Where a profiled function lives, coarsely: a clerk-lint module, a stdlib area, tree-sitter."""
    path = filename.replace(os.sep, "/")
    for marker in ("/clerk_lint/", "/rules/"):
        if marker in path:
            return marker.strip("/") + "/" + path.split(marker, 1)[1]
    if filename == "~":  # a built-in
        if "tree_sitter" in function:
            return "tree-sitter: " + ("parse" if "parse" in function else "queries, nodes")
        if "posix." in function or "io.open" in function:
            return "system calls (stat, open, ...)"
        if "re.Pattern" in function:
            return "regular expressions"
        return "built-ins"
    if "pathlib" in path or "posixpath" in path or "genericpath" in path:
        return "pathlib / os.path"
    if "site-packages" in path:
        return path.split("site-packages/", 1)[1].split("/", 1)[0]
    return "stdlib: " + path.rsplit("/", 1)[-1]


def profile_engine(tree: Path, config, top: int) -> str:
    from clerk_lint.engine import run

    profiler = cProfile.Profile()
    profiler.enable()
    run([tree], config, jobs=1)  # one process: the profiler sees every rule
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    buckets: dict[str, float] = {}
    for (filename, _, function), (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        key = _bucket(filename, function)
        buckets[key] = buckets.get(key, 0.0) + tottime
    total = sum(buckets.values())
    out.write(f"engine run() under cProfile, own time by module ({total * 1000:.0f} ms; the profiler inflates Python code):\n")
    for key, seconds in sorted(buckets.items(), key=lambda kv: -kv[1])[:top]:
        out.write(f"  {key:<52}{seconds * 1000:>8.0f} ms {seconds / total:>6.1%}\n")
    out.write("\n")
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


class Breakdown:
    """Exclusive wall time per stage of one engine run: the engine's own functions and every rule's
    ``check`` are wrapped, and time spent in a wrapped callee is charged to the callee only."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self.stack: list[list] = []  # [label, start, time spent in wrapped callees]
        self.undo: list = []

    def wrap(self, owner, name: str, label: str, consume: bool = False) -> None:
        original = getattr(owner, name)
        breakdown = self

        def timed(*args, **kwargs):
            breakdown.stack.append([label, time.perf_counter(), 0.0])
            try:
                result = original(*args, **kwargs)
                return list(result) if consume else result  # rules' check() are often generators
            finally:
                label_, start, inner = breakdown.stack.pop()
                spent = time.perf_counter() - start
                breakdown.seconds[label_] = breakdown.seconds.get(label_, 0.0) + spent - inner
                breakdown.calls[label_] = breakdown.calls.get(label_, 0) + 1
                if breakdown.stack:
                    breakdown.stack[-1][2] += spent

        setattr(owner, name, timed)
        self.undo.append((owner, name, original))

    def restore(self) -> None:
        for owner, name, original in reversed(self.undo):
            setattr(owner, name, original)


def breakdown_engine(tree: Path, config) -> str:
    import clerk_lint.engine as engine
    import clerk_lint.parsing as parsing
    import clerk_lint.project as project
    import clerk_lint.suppress as suppress
    from clerk_lint.rule import Rule, registry

    timer = Breakdown()
    timer.wrap(engine, "discover", "discovery")
    timer.wrap(engine, "read_source", "read (stat, read, UTF-8/binary checks)")
    timer.wrap(parsing, "parse", "tree-sitter parse")
    timer.wrap(engine, "_syntax_note", "syntax-error notes")
    if hasattr(project, "js_facts"):
        timer.wrap(project, "js_facts", "model: js_facts")
    # the project model's methods, looked up on their classes at call time, so wrapping them there
    # catches every caller however it imported them
    import importlib
    import inspect
    import pkgutil

    for info in pkgutil.iter_modules(project.__path__):
        module = importlib.import_module(f"{project.__name__}.{info.name}")
        for cls in [c for c in vars(module).values() if inspect.isclass(c) and c.__module__ == module.__name__]:
            for name, member in list(vars(cls).items()):
                if inspect.isfunction(member) and not (name.startswith("__") and name.endswith("__")):
                    timer.wrap(cls, name, f"model: {info.name}.{cls.__name__}.{name}")
    for name, member in list(vars(project).items()):
        if inspect.isclass(member) and member.__module__ == project.__name__:
            for attr, fn in list(vars(member).items()):
                if inspect.isfunction(fn) and not (attr.startswith("__") and attr.endswith("__")):
                    timer.wrap(member, attr, f"model: Project.{attr}" if name == "Project" else f"model: {name}.{attr}")
    timer.wrap(suppress, "scan", "suppression comments")
    base = Rule
    for rule in registry():  # wrapped on each class, so inherited check()/finish() count per rule
        if getattr(rule, "check") is not base.check:
            timer.wrap(rule, "check", f"rule {rule.id} {rule.slug}", consume=True)
        if getattr(rule, "finish") is not base.finish:
            timer.wrap(rule, "finish", f"rule {rule.id} finish()", consume=True)
    try:
        start = time.perf_counter()
        engine.run([tree], config, jobs=1)  # one process: the timers see every rule
        total = time.perf_counter() - start
    finally:
        timer.restore()
    lines = [
        f"engine run() by stage: exclusive time of one warm run ({total * 1000:.0f} ms in all, timers included);",
        "a rule's line is its own code, the model's lines (one per method) are what the rules asked of it:",
    ]
    rest = total - sum(timer.seconds.values())
    shown = [(label, seconds) for label, seconds in timer.seconds.items() if seconds >= total * 0.003]
    hidden = sum(seconds for label, seconds in timer.seconds.items() if seconds < total * 0.003)
    shown += [("engine loop, sorting, the rest", rest), ("everything under 0.3% each", hidden)]
    for label, seconds in sorted(shown, key=lambda kv: -kv[1]):
        calls = timer.calls.get(label)
        lines.append(f"  {label:<58}{seconds * 1000:>8.0f} ms {seconds / total:>6.1%}" + (f"  ({calls:,} calls)" if calls else ""))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tree", type=Path, help="directory to scan (see bench/make_tree.py)")
    parser.add_argument("--runs", type=int, default=5, help="take the best of N runs (default 5)")
    parser.add_argument("--json", type=Path, help="also write the numbers to this file")
    parser.add_argument("--breakdown", action="store_true", help="time one engine run stage by stage and rule by rule")
    parser.add_argument("--profile", action="store_true", help="profile one engine run with cProfile and print the top functions")
    parser.add_argument("--top", type=int, default=30, help="functions to show with --profile (default 30)")
    args = parser.parse_args(argv)
    tree = args.tree.resolve()
    if not tree.is_dir():
        parser.error(f"{tree}: not a directory")
    runs = max(1, args.runs)

    t0 = time.perf_counter()
    import clerk_lint.engine  # noqa: F401  (import cost, shown separately)
    from clerk_lint.rule import registry

    registry()
    import_seconds = time.perf_counter() - t0

    discover_seconds, _, (files, discovered, config) = best_of(runs, lambda: code_files(tree))
    # engine first, while the process is cold: grammars, queries and rules load on first use
    from clerk_lint.engine import run

    engine_seconds, engine_cold, result = best_of(runs, lambda: run([tree], config))
    parse_seconds, _, total_bytes = best_of(runs, lambda: parse_only(files))

    cli_seconds, _, _ = best_of(runs, lambda: run_cli(["check", str(tree), "--format", "json", "--output", os.devnull]))
    startup_seconds, _, _ = best_of(runs, lambda: run_cli(["--version"]))
    python_seconds, _, _ = best_of(runs, lambda: subprocess.run([sys.executable, "-c", "pass"], check=True))

    staged = pick_precommit_files(tree, files)
    precommit_seconds, _, _ = best_of(runs, lambda: run_cli(["check", *map(str, staged), "--format", "json", "--output", os.devnull], cwd=tree))

    mb = total_bytes / 1e6
    numbers = {
        "tree": str(tree),
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "runs": runs,
        "files_discovered": discovered,
        "code_files": len(files),
        "files_scanned": result.files_scanned,
        "findings": len(result.findings),
        "notifications": len(result.notifications),
        "code_bytes": total_bytes,
        "discovery_s": discover_seconds,
        "parse_only_s": parse_seconds,
        "engine_s": engine_seconds,
        "engine_cold_s": engine_cold,
        "engine_over_parse": engine_seconds / parse_seconds,
        "cli_s": cli_seconds,
        "startup_s": startup_seconds,
        "python_startup_s": python_seconds,
        "import_s": import_seconds,
        "cli_over_parse_plus_startup": cli_seconds / (parse_seconds + startup_seconds),
        "precommit_files": [p.relative_to(tree).as_posix() for p in staged],
        "precommit_s": precommit_seconds,
    }

    def row(label: str, seconds: float, extra: str = "") -> None:
        print(f"  {label:<34}{seconds * 1000:>9.0f} ms  {extra}")

    print(f"{tree}: {discovered:,} files found, {len(files):,} code files, {mb:.1f} MB of code; "
          f"{result.files_scanned:,} scanned, {len(result.findings)} findings ({runs} runs each, best shown)")
    print(f"  Python {numbers['python']} on {numbers['machine']}")
    row("parse only (read + tree-sitter)", parse_seconds, f"{mb / parse_seconds:6.1f} MB/s   the floor")
    row("discovery (walk + .gitignore)", discover_seconds)
    row("engine run() in-process", engine_seconds, f"{mb / engine_seconds:6.1f} MB/s   {engine_seconds / parse_seconds:.2f}x parse only")
    row("engine run() first call (cold)", engine_cold)
    row("CLI end to end (fresh process)", cli_seconds, f"{mb / cli_seconds:6.1f} MB/s   "
        f"{numbers['cli_over_parse_plus_startup']:.2f}x (parse only + start-up)")
    row("start-up: clerk-lint --version", startup_seconds, f"(python -c pass: {python_seconds * 1000:.0f} ms)")
    row("import engine + rules (in-process)", import_seconds)
    row(f"pre-commit: CLI on {len(staged)} files", precommit_seconds, ", ".join(numbers["precommit_files"]))

    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(numbers, indent=2) + "\n")
        print(f"  numbers written to {args.json}")
    if args.breakdown:
        print()
        print(breakdown_engine(tree, config))
    if args.profile:
        print()
        print(profile_engine(tree, config, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
