"""Helpers for the tutor tests: a small lab built in code, and a conversation driver."""

from __future__ import annotations

from pathlib import Path

from buildreal.packs.model import Choice, Completion, Lab, Misconception, RubricConcept
from buildreal.tutor import Engine, Reply, Turn

ROOT = Path(__file__).resolve().parents[2]
MODULE_1 = ROOT / "courses" / "build-real-things"
SAMPLE_PACK = ROOT / "tests" / "fixtures" / "sample-pack"
TRANSCRIPTS = Path(__file__).parent / "transcripts"


def night_photos_lab(**changes: object) -> Lab:
    """A cat detector that passed its test and fails on night-time uploads."""
    fields: dict[str, object] = dict(
        persona="A blunt computer-vision lead who wants evidence for every claim.",
        scenario=(
            "A photo app trained a classifier that flags photos of cats. It scored 97% on "
            "its test set. Since launch it misses most cats in photos taken at night."
        ),
        opening="97% in testing, useless after dark. Data, architecture or loss: which one?",
        decision_prompt="Which ingredient failed first, and why?",
        choices=(
            Choice("data", "The training data", ("data", "training photos", "dataset")),
            Choice("architecture", "The architecture", ("architecture", "network design")),
            Choice("loss", "The loss function", ("loss", "objective", "loss function")),
        ),
        defensible=("data",),
        rubric=(
            RubricConcept(
                id="shift", concept="Distribution shift",
                description="Users upload photos unlike the ones the model learned from.",
                keywords=("night", "daylight", "distribution shift", "low light", "dark"),
                strong=("The training photos were all taken in daylight, so night-time "
                        "uploads come from a distribution the model never saw.",),
                weak=("The photos are different.",),
                probe="How do the failing uploads differ from the training photos?",
                acknowledge="Yes: the night photos come from a world the model never saw.",
            ),
            RubricConcept(
                id="test-set", concept="What the test set measured",
                description="A test split of the same daylight collection cannot reveal the "
                            "night failure.",
                keywords=("test set", "held out", "same collection", "97%", "split"),
                strong=("The 97% came from a test set split off the same daylight "
                        "collection, so it could never show the night failure.",),
                weak=("97% is high.",),
                probe="Where did the test photos behind that 97% come from?",
            ),
            RubricConcept(
                id="evidence", concept="Evidence to confirm it",
                description="Accuracy sliced by lighting would confirm or refute the "
                            "diagnosis.",
                keywords=("slice", "by lighting", "night accuracy", "measure", "compare"),
                strong=("I'd measure accuracy separately on night and day uploads; a big "
                        "gap confirms it.",),
                probe="What measurement would confirm your diagnosis?",
            ),
            RubricConcept(
                id="fix", concept="A targeted fix",
                description="Collect and label night photos or augment brightness, retrain, "
                            "and re-test on a night slice.",
                keywords=("collect night photos", "augment", "augmentation", "brightness",
                          "label"),
                strong=("Collect and label a few thousand night photos, add brightness "
                        "augmentation, and retrain.",),
                probe="What would you change first, and how would you know it worked?",
            ),
        ),
        misconceptions=(
            Misconception(
                "bigger-model", "Believes a larger network fixes a data problem.",
                ("use a bigger model", "add more layers", "the network is too small"),
                "A bigger network trained on the same daylight photos: what has it learned "
                "about darkness?",
            ),
            Misconception(
                "accuracy-proof", "Takes the test accuracy as proof the model works.",
                ("97% accuracy proves it works", "the accuracy is high so the model is fine"),
                "97% on which photos? Did any of them look like the ones failing now?",
            ),
        ),
        challenges=("The team says the network has no way to normalise brightness. Isn't "
                    "that an architecture flaw?",),
        hints=(
            "Compare the photos that fail with the photos the model was trained on.",
            "Think about what the training photos and the test photos had in common.",
            "The training data lacked night photos, a shift the test set could not reveal.",
        ),
        completion=Completion(min_concepts=3, require_commitment=True, max_turns=10),
    )
    fields.update(changes)
    return Lab(**fields)  # type: ignore[arg-type]



def converse(engine: Engine, lab: Lab, *learner: str, seed: int = 0) -> list[Reply]:
    """Every reply, one per learner message, as the web app would get them in turn."""
    transcript: list[Turn] = []
    replies = []
    for text in learner:
        transcript.append(Turn.learner(text))
        reply = engine.reply(lab, transcript, seed=seed)
        replies.append(reply)
        transcript.append(Turn.partner(reply.message))
    return replies
