"""Rendering: the sandboxed template environment, an edition → HTML, the template catalogue."""
