"""Conformance checks of every edition of every brief in ``inputs/``: the Nu Html Checker,
axe-core in headless Chromium, PDF facts (pikepdf, poppler) and page-1 pictures.

The tools are installed by ``make test`` (``scripts/system-deps.sh --test`` and ``npm ci``).
A missing tool skips its tests with the reason, except under ``CI=true``, where it fails them.
"""
