"""The version of briefs, in one place (read by hatchling and by the outputs' metadata)."""

__version__ = "0.1.0"
