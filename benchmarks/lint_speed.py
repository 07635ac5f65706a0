"""Lint time against the size of its input: the flagship at 1× and 8×, and hostile text.

1. ``flagship``: ``lint_file`` (load, validate, every rule) on ``inputs/deepseek-2025.yaml``
   and on the same brief grown 8×: its findings, implications, recommendations and key
   figures repeated eight times under new ids, each copy's sentences changed a little (a
   copy number appended) so that ``duplicate-text`` compares them rather than matching exact
   copies. Reported: median seconds, and the 8× time over the 1× time (target ≤ 10).
2. ``catalogue``: ``lint_catalog`` on ``inputs/`` against the same three briefs copied 8×
   (24 briefs), which adds the comparison of every brief with the others.
3. ``hostile``: one text of 10 KB and of 80 KB made of one pattern each (``](``, ``[@``,
   ``*가*{`` …, the shapes that made lint quadratic): the 80 KB time over the 10 KB one.

Linear growth gives a ratio of about 8 (a little less, as start-up costs are shared).
Measured in-process, so the interpreter's start-up is not counted; runs alternate between
the two sizes so drift hits both alike.

Usage: ``python benchmarks/lint_speed.py [--runs N]``. Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from briefs.lint.engine import lint_catalog, lint_file  # noqa: E402
from briefs.pipeline.build import Project  # noqa: E402

FLAGSHIP = ROOT / "inputs" / "deepseek-2025.yaml"
MINIMAL = ROOT / "tests" / "fixtures" / "minimal.yaml"
TODAY = dt.date(2026, 12, 1)
HOSTILE = ["](", "[@", "[@a;", "*가*{", "$1 (about KRW 1,400) ", "5,890억 달러 ", "2025. 1. "]
SECTIONS = ("key_figures", "findings", "implications", "recommendations")


def grown(data: dict[str, Any], times: int) -> dict[str, Any]:
    """``data`` with its items repeated ``times`` times, each copy slightly reworded."""
    out = copy.deepcopy(data)
    for section in SECTIONS:
        first = data.get(section, [])
        out[section] = []
        for k in range(times):
            for item in first:
                clone = copy.deepcopy(item)
                if k:
                    clone["id"] = f"{item['id']}-{k}"
                    if "based_on" in clone:
                        clone["based_on"] = [f"{b}-{k}" for b in clone["based_on"]]
                    _reword(clone, k)
                out[section].append(clone)
    return out


def _reword(value: Any, k: int) -> None:
    """Append the copy number to the prose of one item (ko/en texts, in place)."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if key in ("ko", "en") and isinstance(inner, str):
                value[key] = inner.rstrip() + f" ({k})"
            elif key not in ("id", "sources", "based_on", "audiences", "data"):
                _reword(inner, k)
    elif isinstance(value, list):
        for inner in value:
            _reword(inner, k)


def write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def linter(path: Path, project: Project) -> Callable[[], object]:
    """A call that lints ``path``."""
    return lambda: lint_file(path, project, today=TODAY)


def paired(a: Callable[[], object], b: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median seconds of ``a`` and of ``b`` over ``runs`` alternating runs each."""
    xs: list[float] = []
    ys: list[float] = []
    a(), b()  # warm caches: compiled patterns, labels, profiles
    for i in range(runs):
        for fn, out in ((a, xs), (b, ys)) if i % 2 == 0 else ((b, ys), (a, xs)):
            start = time.perf_counter()
            fn()
            out.append(time.perf_counter() - start)
    return statistics.median(xs), statistics.median(ys)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    project = Project()
    rows: list[tuple[str, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data = yaml.safe_load(FLAGSHIP.read_text("utf-8"))
        one = write(folder / "one.yaml", data)
        eight = write(folder / "eight.yaml", grown(data, 8))
        sizes = (one.stat().st_size, eight.stat().st_size)
        a, b = paired(linter(one, project), linter(eight, project), runs)
        rows.append((f"flagship ({sizes[0] // 1024} KB → {sizes[1] // 1024} KB)", a, b))

        small = sorted((ROOT / "inputs").glob("*.yaml"))
        large = []
        (folder / "catalogue").mkdir()
        for k in range(8):
            for path in small:
                brief = yaml.safe_load(path.read_text("utf-8"))
                brief["id"] = f"{brief['id']}-{k}"
                if k:
                    for section in SECTIONS:
                        _reword(brief.get(section, []), k)
                large.append(write(folder / "catalogue" / f"{k}-{path.name}", brief))
        a, b = paired(
            lambda: lint_catalog(small, project, today=TODAY),
            lambda: lint_catalog(large, project, today=TODAY),
            max(3, runs // 2),
        )
        rows.append((f"catalogue ({len(small)} → {len(large)} briefs)", a, b))

        base = MINIMAL.read_text("utf-8")
        line = "en: Concern about high-bandwidth memory (HBM) demand grew[@src-b]."
        for n, pattern in enumerate(HOSTILE):
            paths = []
            for kb in (10, 80):
                payload = json.dumps(pattern * (kb * 1024 // len(pattern.encode())))
                path = folder / f"hostile-{n}-{kb}.yaml"
                path.write_text(base.replace(line, f"en: {payload}"), "utf-8")
                paths.append(path)
            a, b = paired(linter(paths[0], project), linter(paths[1], project), runs)
            rows.append((f"hostile `{pattern.strip()}` (10 KB → 80 KB)", a, b))

    print("| input | 1× | 8× | ratio | target | met? |")
    print("|---|---|---|---|---|---|")
    for name, a, b in rows:
        ratio = b / a
        met = "yes" if ratio <= 10 else "no"
        print(f"| {name} | {a:.3f} s | {b:.3f} s | {ratio:.2f} | ≤ 10 | {met} |")


if __name__ == "__main__":
    main()
