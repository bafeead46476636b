"""Tags and English descriptions generated from an image and its predicted class.

The catalogue has no captions, so the text side of search is built from what the system
can measure: the class the backbone predicts, and three image statistics bucketed into
words (tone from mean brightness, size from the share of inked pixels, surface from the
edge strength). The thresholds are the reference training images' terciles, fixed in
``TagRules`` so that a description never changes with the traffic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from buildreal.projects.p10_inference.reference.serving.drift import image_features

from .backbone import CLASSES

# Class names as a shop would write them (Fashion-MNIST's "T-shirt/top" is two words).
NOUNS = ("t-shirt", "trousers", "pullover", "dress", "coat", "sandal", "shirt", "sneaker",
         "bag", "ankle boot")
TONES = ("dark", "mid-tone", "light")
SIZES = ("slim", "medium", "wide")
SURFACES = ("plain", "textured", "patterned")


@dataclass(frozen=True)
class TagRules:
    """Tercile cut points of brightness, ink share and edge strength."""

    tone: tuple[float, float]
    size: tuple[float, float]
    surface: tuple[float, float]

    @classmethod
    def fit(cls, images: np.ndarray) -> TagRules:
        f = image_features(images)  # (N, 4): brightness, contrast, ink, edges
        cuts = [tuple(float(v) for v in np.quantile(f[:, j], [1 / 3, 2 / 3]))
                for j in (0, 2, 3)]
        return cls(*cuts)  # type: ignore[arg-type]


def tags(images: np.ndarray, labels: np.ndarray, rules: TagRules) -> list[dict[str, str]]:
    """One dict of tags per image: class, tone, size, surface."""
    f = image_features(images)
    out = []
    for row, label in zip(f, np.asarray(labels).reshape(-1), strict=True):
        out.append({"class": CLASSES[int(label)],
                    "tone": TONES[int(np.searchsorted(rules.tone, row[0]))],
                    "size": SIZES[int(np.searchsorted(rules.size, row[2]))],
                    "surface": SURFACES[int(np.searchsorted(rules.surface, row[3]))]})
    return out


def describe(tag: dict[str, str]) -> str:
    """'a light, wide, plain pullover': the sentence the text encoder embeds."""
    noun = NOUNS[CLASSES.index(tag["class"])]
    return f"a {tag['tone']}, {tag['size']}, {tag['surface']} {noun}"
