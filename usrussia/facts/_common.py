"""Formatting shared by the chapters' fact functions."""

from __future__ import annotations

import pandas as pd


def day(timestamp) -> str:
    """A date as readers write it: ``5 February 2011``."""
    return f"{pd.Timestamp(timestamp):%-d %B %Y}"


def billions(millions: float) -> str:
    """USD millions as text in billions: ``$4.3 billion``."""
    return f"${millions / 1000:.1f} billion"
