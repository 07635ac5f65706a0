"""The ``briefs`` command: a thin click layer over the library."""
