"""Where the conformance tools are, and what happens when one is missing.

Every test that needs an outside tool asks for it here. A missing tool skips the test with a
reason that says how to install it — except under ``CI=true``, where it fails the test: CI
must never pass by skipping a check.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest

ROOT = Path(__file__).resolve().parents[2]
"""The repository checkout."""
NODE_MODULES = ROOT / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
"""Debian's Chromium (package ``chromium``); playwright never downloads a browser here."""
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
INSTALL = "run `make test`, which installs it (scripts/system-deps.sh --test, npm ci)"


def in_ci() -> bool:
    """Whether this is a CI run (``CI=true``), where no conformance test may skip."""
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def missing(what: str) -> NoReturn:
    """Skip the current test because ``what`` is missing; under CI, fail it instead."""
    reason = f"{what} is missing: {INSTALL}"
    if in_ci():
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)


@functools.cache
def _runs(*command: str) -> bool:
    try:
        done = subprocess.run(command, capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def java() -> str:
    """The ``java`` command, checked to run."""
    path = shutil.which("java")
    if path is None or not _runs(path, "-version"):
        missing("Java (`java`, Debian package default-jre-headless) for the Nu Html Checker")
    return path


def vnu_jar() -> Path:
    """The Nu Html Checker's jar (npm package vnu-jar)."""
    if not VNU_JAR.is_file():
        missing(f"the Nu Html Checker ({VNU_JAR.relative_to(ROOT)}, npm package vnu-jar)")
    return VNU_JAR


def axe_js() -> Path:
    """axe-core's browser script (npm package axe-core)."""
    if not AXE_JS.is_file():
        missing(f"axe-core ({AXE_JS.relative_to(ROOT)}, npm package axe-core)")
    return AXE_JS


def chromium() -> Path:
    """Debian's Chromium, checked to run."""
    if not (CHROMIUM.is_file() and _runs(str(CHROMIUM), "--version")):
        missing(f"Chromium ({CHROMIUM}, Debian package chromium)")
    return CHROMIUM


def poppler(tool: str) -> str:
    """A poppler-utils command (pdftoppm, pdffonts, pdftotext)."""
    path = shutil.which(tool)
    if path is None:
        missing(f"{tool} (Debian package poppler-utils)")
    return path


@contextlib.contextmanager
def chromium_page(*, offline: bool = True) -> Iterator[Any]:
    """A page of a headless Debian Chromium with a fresh profile, closed afterwards."""
    executable = chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("the Python package playwright (the [test] extra)")
    with (
        tempfile.TemporaryDirectory(prefix="briefs-chromium-") as profile,
        sync_playwright() as playwright,
    ):
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=str(executable),
            headless=True,
            args=CHROMIUM_FLAGS,
            offline=offline,
        )
        try:
            yield context.new_page()
        finally:
            context.close()
