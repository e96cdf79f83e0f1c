"""Shared column helpers."""

from __future__ import annotations

import datetime


def utcnow() -> datetime.datetime:
    """Naive UTC timestamp (stored the same way on SQLite and PostgreSQL)."""
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
