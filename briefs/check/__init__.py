"""Validation passes: a loaded YAML file → a :class:`~briefs.check.validate.Validated` brief."""
