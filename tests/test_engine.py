"""The engine: worker processes give the same answer as one process; the model reads each file once."""

from __future__ import annotations

import shutil
from pathlib import Path

from clerk_lint import engine
from clerk_lint.config import Config

FIXTURES = Path(__file__).parent / "fixtures"


def _summary(result):
    return (
        [(f.rule_id, f.location, f.level, f.message, f.related) for f in result.findings],
        [(f.rule_id, f.location) for f in result.suppressed],
        result.notifications,
        result.files_scanned,
    )


def test_parallel_scan_matches_serial_scan(tmp_path, monkeypatch):
    for name in ("coverage-v6-src", "secrets", "suppressions", "async-misuse-v6", "monorepo"):
        if (FIXTURES / name).is_dir():
            shutil.copytree(FIXTURES / name, tmp_path / name)
    monkeypatch.setattr(engine, "PARALLEL_MIN_FILES", 0)
    config = Config(base=tmp_path)
    serial = engine.run([tmp_path], config, jobs=1)
    parallel = engine.run([tmp_path], config, jobs=2)
    assert serial.findings, "the fixtures should produce findings"
    assert _summary(parallel) == _summary(serial)
    assert set(parallel.sources) == set(serial.sources)


def test_each_file_is_parsed_once(tmp_path, monkeypatch):
    shutil.copytree(FIXTURES / "async-misuse-v6", tmp_path / "app")
    parsed: list[bytes] = []
    real_parse = engine.SourceFile.tree.fget

    def counting(self):
        if self._tree is None:
            parsed.append(self.rel)
        return real_parse(self)

    monkeypatch.setattr(engine.SourceFile, "tree", property(counting))
    engine.run([tmp_path], Config(base=tmp_path), jobs=1)
    assert parsed and len(parsed) == len(set(parsed)), sorted(p for p in parsed if parsed.count(p) > 1)
