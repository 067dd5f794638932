"""The command line: ``clerk-lint check``, ``clerk-lint rules``, ``clerk-lint explain``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from clerk_lint import __version__
from clerk_lint.config import ConfigError, discover, load_file
from clerk_lint.discovery import PathNotFound, find_root
from clerk_lint.findings import Level
from clerk_lint.reporters import FORMATS, renderer

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _split(values: tuple[str, ...]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _fail(message: str) -> None:
    click.echo(f"clerk-lint: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="clerk-lint")
def cli() -> None:
    """A security linter for codebases that use Clerk for authentication."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Output format.")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), help="Write the report to FILE instead of stdout.")
@click.option("--select", multiple=True, metavar="RULES", help="Only these rules: ids, id prefixes (CLK2) or slugs, comma-separated.")
@click.option("--ignore", multiple=True, metavar="RULES", help="Skip these rules: ids, id prefixes or slugs, comma-separated.")
@click.option("--fail-on", type=click.Choice([level.value for level in Level]), default=None, help="Lowest level that makes the exit code 1 [default: warning].")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings reach --fail-on.")
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False), help="Read settings from FILE (a .clerk-lint.toml or a pyproject.toml).")
@click.option("--no-color", is_flag=True, help="Plain text output, even on a terminal.")
@click.option("--show-suppressed", is_flag=True, help="Include suppressed findings in JSON and SARIF output.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes for large trees [default: every core].")
def check(paths, fmt, output, select, ignore, fail_on, exit_zero, config_path, no_color, show_suppressed, jobs) -> None:
    """Scan PATHS (files or directories; default: the current directory)."""
    from clerk_lint.engine import run as run_scan

    targets = list(paths) or [Path(".")]
    missing = [p for p in targets if not p.exists() and not p.is_symlink()]
    if missing:
        _fail(f"{missing[0]}: no such file or directory")
    try:
        config = load_file(config_path) if config_path else discover(targets[0], find_root(targets))
        if fail_on:
            config.fail_on = Level(fail_on)
        result = run_scan(targets, config, select=_split(select) or None, ignore=_split(ignore), jobs=jobs)
    except (ConfigError, PathNotFound, ValueError) as exc:
        _fail(str(exc))
    for note in result.notifications:
        click.echo(f"clerk-lint: {note.level.value}: {note.render()}", err=True)
    color = fmt == "text" and not no_color and output is None and sys.stdout.isatty()
    options = {"color": color, "show_suppressed": show_suppressed}
    render = renderer(fmt)
    if output is not None:
        try:
            with output.open("w", encoding="utf-8") as stream:
                render(result, stream, options)
        except OSError as exc:
            _fail(f"{output}: cannot write report ({exc.strerror})")
    else:
        render(result, sys.stdout, options)
    if result.internal_errors:
        sys.exit(EXIT_ERROR)
    if not exit_zero and result.failed(config.fail_on):
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_OK)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table", show_default=True)
def rules(fmt) -> None:
    """List every rule with its id, name, level and version gates."""
    from rich.console import Console
    from rich.table import Table

    from clerk_lint.docs import rule_dict, rules_markdown
    from clerk_lint.rule import registry

    if fmt == "json":
        click.echo(json.dumps([rule_dict(r) for r in registry()], indent=2))
    elif fmt == "markdown":
        click.echo(rules_markdown(), nl=False)
    else:
        table = Table(show_edge=False, box=None, pad_edge=False)
        for column in ("id", "slug", "level", "what it flags", "levels by version"):
            table.add_column(column, overflow="fold")
        for r in registry():
            table.add_row(r.id, r.slug, r.level.value, r.name, r.version_gates or "-")
        Console(highlight=False, width=None if sys.stdout.isatty() else 160).print(table)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False), help="Read settings from FILE.")
def routes(paths, fmt, config_path) -> None:
    """List every server entry point under PATHS (Next.js, Express/Fastify/Hono, FastAPI/Flask/Django)
    and how it is protected."""
    from dataclasses import asdict

    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from clerk_lint.engine import routes as collect_routes

    targets = list(paths) or [Path(".")]
    missing = [p for p in targets if not p.exists() and not p.is_symlink()]
    if missing:
        _fail(f"{missing[0]}: no such file or directory")
    try:
        config = load_file(config_path) if config_path else discover(targets[0], find_root(targets))
        rows, notes = collect_routes(targets, config)
    except (ConfigError, PathNotFound, ValueError) as exc:
        _fail(str(exc))
    for note in notes:
        click.echo(f"clerk-lint: {note.level.value}: {note.render()}", err=True)
    if fmt == "json":
        click.echo(json.dumps({"schema_version": 1, "routes": [asdict(r) for r in rows]}, indent=2))
        return
    style = {"guarded": "green", "middleware": "green", "layout": "green", "open": "bold red", "unknown": "yellow"}
    table = Table(show_edge=False, box=None, pad_edge=False)
    for column in ("url", "kind", "file", "protection", "how"):
        table.add_column(column, overflow="fold")
    for row in rows:
        kind = row.kind if row.kind in ("page", "layout", "template", "default", "pages-api", "getServerSideProps") else f"{row.kind} {row.name}"
        cells = (row.url, kind, f"{row.file}:{row.line}")
        table.add_row(*(Text(c) for c in cells), Text(row.status, style=style.get(row.status, "")), Text(row.how))
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 200, no_color=not sys.stdout.isatty())
    console.print(table)
    counts = {}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    console.print(f"\n{len(rows)} entry points: " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())))


@cli.command()
@click.argument("rule")
def explain(rule) -> None:
    """Show the documentation of RULE (an id such as CLK501 or a slug)."""
    from clerk_lint.docs import rule_markdown
    from clerk_lint.rule import by_key, expand

    found = by_key(rule)
    if found is None:
        try:
            expand([rule], "explain")
        except ValueError as exc:
            _fail(str(exc))
        _fail(f"explain: {rule!r} names several rules; give one id or slug")
    text = rule_markdown(found)
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(text))
    else:
        click.echo(text, nl=False)


def main() -> None:
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:  # pragma: no cover
        sys.exit(130)
    except Exception:  # a bug: say so, show where, and exit 2 (never 1, which means findings)
        import traceback

        traceback.print_exc()
        click.echo(f"clerk-lint {__version__}: internal error; please report it with the traceback above", err=True)
        sys.exit(EXIT_ERROR)


if __name__ == "__main__":  # pragma: no cover
    main()
