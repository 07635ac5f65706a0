"""Start-up cost of pydantic's ``use_attribute_docstrings`` on the brief models.

briefs reads field docstrings only when it writes the JSON Schema (``briefs schema``), with
its own reader in :mod:`briefs.pipeline.scaffold`. This measures what the alternative would
cost every command: importing the models with ``use_attribute_docstrings=True`` (pydantic
then parses each model's source at class creation). Paired runs, alternating, in fresh
processes; the result is the median of each and their ratio.

    python benchmarks/docstrings.py [--runs 20]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys

PLAIN = "import briefs.schema.brief"
WITH_DOCSTRINGS = (
    "import pydantic\n"
    "_config = pydantic.ConfigDict\n"
    "pydantic.ConfigDict = lambda **kw: _config(**kw, use_attribute_docstrings=True)\n"
    "import briefs.schema.brief\n"
    "assert briefs.schema.brief.Brief.model_fields['title'].description\n"
)
TIMED = "import time\nt = time.perf_counter()\n{code}\nprint(time.perf_counter() - t)\n"


def once(code: str) -> float:
    """Seconds one fresh interpreter takes to run ``code``."""
    out = subprocess.run(
        [sys.executable, "-c", TIMED.format(code=code)], capture_output=True, text=True, check=True
    )
    return float(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    plain, docs = [], []
    for _ in range(runs):
        plain.append(once(PLAIN))
        docs.append(once(WITH_DOCSTRINGS))
    a, b = statistics.median(plain), statistics.median(docs)
    print(
        f"import of the models: {a * 1000:.1f} ms; with use_attribute_docstrings: "
        f"{b * 1000:.1f} ms (+{(b - a) * 1000:.1f} ms, {b / a:.2f}×), {runs} paired runs"
    )


if __name__ == "__main__":
    main()
