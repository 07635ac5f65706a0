"""Editions: audience profiles, one immutable edition of a brief, plans and budgets."""
