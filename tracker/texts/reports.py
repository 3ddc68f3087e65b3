"""Catalogue texts (zh, en) — see tracker/texts/__init__.py."""

TEXTS: dict[str, tuple[str, str]] = {}
