"""Per-learner and per-attempt option order. Pure Python.

Authors often put the right option first; showing options in pack order would leak that
pattern. Each question's options are shuffled with a seed the browser never sees, so the
order (and the positional form values ``o1``, ``o2``... derived from it) says nothing
about correctness, and the same learner sees the same order on every reload.
"""

from __future__ import annotations

import hashlib
import hmac
import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def seed(secret: str, *parts: object) -> str:
    message = "\x1f".join(str(part) for part in parts).encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def shuffled(items: Sequence[T], seed_text: str) -> list[T]:
    """A copy of ``items`` in an order fixed by ``seed_text``."""
    out = list(items)
    random.Random(seed_text).shuffle(out)
    return out


def position_values(count: int) -> list[str]:
    """Form values for options in displayed order: ``o1``..``oN``."""
    return [f"o{index}" for index in range(1, count + 1)]
