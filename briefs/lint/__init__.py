"""Lint: the engine and the policy-brief quality rules."""
