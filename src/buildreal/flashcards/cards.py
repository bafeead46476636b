"""What a card shows, front and back, from the pack (no Django, no database).

A deck card is the author's flashcard. A mistake card is built from the question the
learner got wrong: its prompt (and options, unmarked) in front; the right answer and the
explanation for a right answer on the back.
"""

from __future__ import annotations

from dataclasses import dataclass

from buildreal.packs.model import Item, Question

MISTAKE_PREFIX = "q-"


@dataclass(frozen=True)
class Face:
    """A card's two sides as Markdown, and what the learner sees around them."""

    card_id: str
    front: str
    back: str
    options: tuple[str, ...] = ()  # a choice question's options, shown unmarked in front
    worked: bool = False
    label: str = ""  # where the card comes from, e.g. "From your answer to Quiz: ..."


def mistake_card_id(question_id: str) -> str:
    return MISTAKE_PREFIX + question_id


def deck_face(item: Item, card_id: str) -> Face | None:
    for card in item.cards:
        if card.id == card_id:
            return Face(card_id=card.id, front=card.front, back=card.back, worked=card.worked)
    return None


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}"


def right_answer(question: Question) -> str:
    """The right answer as Markdown: the correct options' texts, or the number."""
    if question.type == "numeric":
        text = _number(question.answer)
        if question.tolerance:
            text += f" (± {_number(question.tolerance)})"
        return f"{text} {question.unit}".strip()
    correct = [option.text for option in question.options if option.correct]
    if len(correct) == 1:
        return correct[0]
    return "\n".join(f"- {text}" for text in correct)


def mistake_face(item: Item, question: Question) -> Face:
    answer = right_answer(question)
    lead = "**Right answer:**" + ("\n\n" if "\n" in answer else " ")
    back = lead + answer
    if question.explanation_correct:
        back += "\n\n" + question.explanation_correct
    return Face(card_id=mistake_card_id(question.id), front=question.prompt, back=back,
                options=tuple(option.text for option in question.options),
                label=f"From your answer to {item.title}")
