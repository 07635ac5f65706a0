"""Pure data models of a brief: texts, charts, the brief itself. No I/O, no rendering."""
