"""Orchestration: building a brief, publishing a site, the manifest, scaffolding."""
