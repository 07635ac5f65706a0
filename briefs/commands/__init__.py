"""The commands of ``briefs``, one module per command or family of commands.

Each module registers its commands on the group :func:`briefs.cli.cli` when imported;
:mod:`briefs.cli` imports them all, so importing it gives the complete command line.
"""
