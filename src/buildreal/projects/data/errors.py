"""The one error the data loaders raise."""

from __future__ import annotations


class DataUnavailable(RuntimeError):
    """A data set is not on this machine (or is damaged); the message says how to fix it."""
