"""Turning a move into words: the lab's authored lines inside varied templates.

The authored lines (probes, pushbacks, challenges, hints, acknowledgements) carry the
substance; the templates around them only vary the framing, chosen by a seeded random
generator so a given seed always yields the same conversation. A message that would
repeat the partner's previous message word for word is re-drawn.
"""

from __future__ import annotations

import random

from buildreal.packs.model import Lab
from buildreal.tutor.moves import Move

ACK_ONE = (
    "You're right about {c}, and that is where this case turns.",
    "Good: {c} is exactly the thing to look at here.",
    "That's a real point on {c}.",
    "Yes. Bringing {c} into it is what a strong answer does.",
    "{C}: agreed, that part holds up.",
)
ACK_MANY = (
    "You covered {c}, all of it on point.",
    "Good, that lands on {c}.",
    "That's solid on {c}.",
)
ACK_CHOICE = (
    "So it's {label}, with a reason attached, which is more than most people give me.",
    "You committed to {label} and said why. Good.",
    "A clear call for {label}, with reasoning. That's what I asked for.",
)
CHALLENGE_LEAD = (
    "Now let me push on it.", "Here's where I'd push back.",
    "Let me argue the other side for a minute.", "Before I buy it:",
)
CHALLENGE_ALTERNATIVE = (
    "Someone on the team argues for {alt} instead. What do you tell them?",
    "Make the case against {alt}: why isn't that the better call?",
    "Why not {alt}? Convince me it's the weaker option.",
)
CHALLENGE_EVIDENCE = (
    "What evidence would you want before you'd bet the launch on that?",
    "What would you look at first to prove yourself right, and what would prove you wrong?",
    "Which measurement would settle this, and what result do you expect?",
)
NOT_DEFENSIBLE = (
    "I'm not sold on {label}.", "That's a hard position to defend here.",
    "I think {label} is the weaker call.",
)
ASK_COMMIT = (
    "That's hedging. I need one answer: {options}. Which is it, and why?",
    "A menu isn't a diagnosis. Which one of {options} is it, and by what mechanism?",
    "You haven't committed yet. If you had to stake your reputation on one of {options}, "
    "which one, and what makes you think so?",
    "Not 'it depends'. Which of {options} do you choose, and what's the reasoning?",
)
ASK_REASON = (
    "You say {label}. Fine, that's a commitment. Now the why: what's the mechanism?",
    "OK, {label}. A bare answer won't survive a review, though. What's your reasoning?",
    "Noted: {label}. What in the case points there? Walk me through it.",
)
ASK_CHOICE_TAIL = (
    "But you still haven't committed. {prompt}",
    "Now turn that into a decision. {prompt}",
    "So where does that leave you? {prompt}",
)
PUSHBACK_LEAD = ("Hold on.", "I'm going to stop you there.", "Careful.", "Wait.")
PUSHBACK_AGAIN = ("We've been here before.", "That's the same trap again.", "Again:")
PROBE_LINK = ("Next question.", "Let's go deeper.", "Keep going.", "Now:")
PROBE_REPEAT = (
    "You're circling it. Be concrete:", "Not quite there yet. Try this one again:",
    "Stay on this a moment longer:", "Be specific this time:",
)
HINT_LEAD = (
    "You've been stuck for a few turns, so here's a nudge:",
    "Let me give you something to work with:", "A hint, then:",
)
HINT_LATER = ("Here's a stronger hint:", "One more layer:", "Let me make it more concrete:")
HINT_ASKED = ("Fair enough, a hint:", "Here's a nudge:", "OK, a pointer:")
HINT_ANSWER = (
    "I still won't hand you the answer, but you've earned a nudge:",
    "No answer from me, but here's a hint:",
)
REFUSE = {
    "manipulation": (
        "I can't do that: scores and completion come only from the argument you make here.",
        "That isn't something I'll do. The only way through this lab is the case itself.",
        "No. Nothing typed into this chat changes a score or marks anything complete.",
    ),
    "hostile": (
        "Let's keep it about the problem.", "I'll skip that and stay on the case.",
        "Let's get back to the work.",
    ),
    "off_topic": (
        "That's outside this lab.", "Interesting, but not what we're here for.",
        "Let's stay on the case.",
    ),
    "answer": (
        "I won't hand you the answer: you'd learn nothing from it.",
        "No answer key from me. You argue, I push back.",
        "If I tell you, it's my reasoning, not yours.",
    ),
    "try_first": (
        "Take a swing at it first, then I'll help.",
        "Try the next step yourself before I give you more.",
        "Show me an attempt first.",
    ),
    "commit_first": (
        "The next hint is close to the answer itself, so first pick one option and say why.",
        "Commit to a position and give me your reason; then I'll give you the last hint.",
        "No more hints until you've made a call of your own. Which is it, and why?",
    ),
}
EVIDENCE_LEAD = ("Test it against the case:", "Start from the evidence:",
                 "Check it against what we know:")
RECONSIDER = (
    "You've argued the details well. I'm still not convinced by {label}, though.",
    "Good detail, but it keeps pointing away from {label}.",
    "Your reasoning is getting sharper. Does it really support {label}?",
)
# "Good place to stop" only when the completion rule is met or the learner asked to finish
DEBRIEF_DONE = ("Good place to stop.", "Time for the debrief.", "That's the case made.")
DEBRIEF_ASKED = ("Good place to stop.", "Fine, let's take stock.", "Time for the debrief.")
DEBRIEF_LIMIT = (
    "We're out of time on this one, so let's take stock.",
    "That's as far as we can take it today. Here's where you stand.",
)
CONNECT = (
    "Those are terms, not an argument. How do they connect: what causes what, and what "
    "in the case shows it?",
    "A list of words won't survive a review. Pick two of them and tell me how one leads "
    "to the other in this case.",
    "You've named some things. Now explain how they connect: which one causes the "
    "problem we're seeing, and why?",
)
ASK_WHY = (
    "You say {c}. Why does it happen here, and what does it lead to?",
    "{C}: maybe. What's the mechanism, and what in the case shows it?",
    "Naming {c} isn't the same as arguing it. Walk me through why it holds here.",
)
DENY = (
    "You're ruling out {c}. On what evidence? {probe}",
    "Careful before you dismiss {c}. What would you expect to see if it were at work, and "
    "do you see it? {probe}",
    "That's a strong claim against {c}. Convince me: {probe}",
)
WEAK = (
    "That's the vague version of {c}: it names the area but not the mechanism. {probe}",
    "Close to {c}, but it's missing the why: what causes it, and what follows from it? "
    "{probe}",
    "That points at {c} without saying how it works in this case. {probe}",
)
FLIP = (
    "Hold on. Earlier you argued for {before}: \"{cite}\" Now it's {label}. What changed, "
    "and how does it square with what you said?",
    "Wait, you've switched to {label}. A few turns ago you said: \"{cite}\" Which of "
    "those do you stand behind, and why?",
)
ANSWERED = ("That answers my challenge.", "Fair, that answers my objection.",
            "OK, that answers the challenge.")
OFFER = (
    "That meets the bar for this lab: say \"finish\" whenever you want your debrief, or "
    "keep going.",
    "You've done enough to complete the lab; you can stop here (\"finish\"), or take "
    "one more:",
)
CLOSED = (
    "This lab is finished; your debrief is above. Restart the lab if you want another go.",
    "We're done with this one. Start the lab again to argue it afresh.",
)


class Phraser:
    """Renders moves for one lab and one seed, never repeating the previous message."""

    def __init__(self, lab: Lab, seed: int) -> None:
        self.lab = lab
        self.seed = seed
        self._concepts = {c.id: c for c in lab.rubric}
        self._choices = {c.id: c for c in lab.choices}
        self._misconceptions = {m.id: m for m in lab.misconceptions}

    def render(self, move: Move, turn: int, previous: str = "", pushed: tuple[str, ...] = ()
               ) -> str:
        """The message for ``move`` at learner turn ``turn`` (1-based)."""
        for attempt in range(8):
            rng = random.Random(f"{self.seed}:{turn}:{move.kind}:{attempt}")
            text = self._render(move, rng, pushed)
            if text != previous:
                return text
        return text + " " + self._pick(random.Random(turn), PROBE_LINK)

    # --- pieces -------------------------------------------------------------------------
    @staticmethod
    def _pick(rng: random.Random, options: tuple[str, ...]) -> str:
        return options[rng.randrange(len(options))]

    def _label(self, choice_id: str | None) -> str:
        """The choice's label for use mid-sentence ("the training data", but "CNN")."""
        choice = self._choices.get(choice_id or "")
        if not choice:
            return "that"
        label = choice.label
        first = label.split(" ", 1)[0]
        if len(first) == 1 or first[1:].islower():  # "A classical ...", "The data"; not "CNN"
            label = label[0].lower() + label[1:]
        return label

    def _options(self) -> str:
        labels = [self._label(c.id) for c in self.lab.choices]
        if len(labels) <= 1:
            return labels[0] if labels else "one option"
        return ", ".join(labels[:-1]) + " or " + labels[-1]

    def _name(self, concept_id: str) -> str:
        concept = self._concepts[concept_id]
        return concept.concept[:1].lower() + concept.concept[1:]

    def _acknowledge(self, ids: tuple[str, ...], rng: random.Random) -> str:
        if not ids:
            return ""
        authored = [self._concepts[i].acknowledge for i in ids if self._concepts[i].acknowledge]
        if len(ids) == 1:
            if authored:
                return authored[0]
            name = self._name(ids[0])
            return self._pick(rng, ACK_ONE).format(c=name, C=name[:1].upper() + name[1:])
        names = [self._name(i) for i in ids]
        joined = ", ".join(names[:-1]) + " and " + names[-1]
        lead = self._pick(rng, ACK_MANY).format(c=joined)
        return " ".join([lead, *authored[:1]])

    def _probe_text(self, concept_id: str) -> str:
        concept = self._concepts[concept_id]
        if concept.probe:
            return concept.probe
        return f"What about {self._name(concept_id)}? How does it bear on this case?"

    def _challenge_text(self, move: Move, rng: random.Random) -> str:
        if move.challenge:
            return move.challenge
        if move.alternative and rng.random() < 0.5:
            alt = self._label(move.alternative)
            return self._pick(rng, CHALLENGE_ALTERNATIVE).format(alt=alt)
        return self._pick(rng, CHALLENGE_EVIDENCE)

    # --- moves --------------------------------------------------------------------------
    def _render(self, move: Move, rng: random.Random, pushed: tuple[str, ...]) -> str:
        kind = move.kind
        ack = self._acknowledge(move.acknowledge, rng)
        if kind == "opening":
            return self.lab.opening
        if kind == "ask_commit":
            if move.reason == "redirect":  # back to the case after a refusal
                return self.lab.decision_prompt
            return self._pick(rng, ASK_COMMIT).format(options=self._options())
        if kind == "ask_reason":
            label = self._label(move.choice)
            return self._pick(rng, ASK_REASON).format(label=label)
        if kind == "ask_choice":
            tail = self._pick(rng, ASK_CHOICE_TAIL).format(prompt=self.lab.decision_prompt)
            return f"{ack} {tail}"
        if kind == "challenge":
            label = self._label(move.choice)
            opener = self._pick(rng, ACK_CHOICE).format(label=label)
            if move.alternative and move.challenge == "" and not self._defensible(move.choice):
                doubt = self._pick(rng, NOT_DEFENSIBLE).format(label=label)
                alt = self._pick(rng, CHALLENGE_ALTERNATIVE).format(
                    alt=self._label(move.alternative))
                return " ".join(p for p in (ack, doubt, self._evidence(move, rng), alt) if p)
            lead = self._pick(rng, CHALLENGE_LEAD)
            return " ".join(p for p in (ack or opener, lead, self._challenge_text(move, rng)) if p)
        if kind == "pushback":
            m = self._misconceptions[move.misconception or ""]
            lead = self._pick(rng, PUSHBACK_AGAIN if move.misconception in pushed
                              else PUSHBACK_LEAD)
            return f"{lead} {m.pushback}"
        if kind == "probe":
            question = self._probe_text(move.concept or "")
            parts = [self._pick(rng, ANSWERED)] if move.answered else []
            if ack:
                parts.append(ack)
            if move.offer:
                parts.append(self._pick(rng, OFFER))
            elif ack:
                parts.append(self._pick(rng, PROBE_LINK))
            elif move.repeat and not parts:
                parts.append(self._pick(rng, PROBE_REPEAT))
            return " ".join([*parts, question])
        if kind == "ask_connect":
            return self._pick(rng, CONNECT)
        if kind in ("ask_why", "deny", "weak"):
            name = self._name(move.concept or "")
            table = {"ask_why": ASK_WHY, "deny": DENY, "weak": WEAK}[kind]
            return self._pick(rng, table).format(
                c=name, C=name[:1].upper() + name[1:],
                probe=self._probe_text(move.concept or ""))
        if kind == "flip":
            cite = " ".join(move.cite.split())
            if len(cite) > 160:
                cite = cite[:157].rsplit(" ", 1)[0] + "..."
            return self._pick(rng, FLIP).format(
                before=self._label(move.alternative), cite=cite, label=self._label(move.choice))
        if kind == "hint":
            table = {"asked": HINT_ASKED, "answer": HINT_ANSWER}.get(
                move.reason, HINT_LATER if (move.hint or 0) > 0 else HINT_LEAD)
            return f"{self._pick(rng, table)} {self.lab.hints[move.hint or 0]}"
        if kind in ("refuse", "refuse_answer"):
            refusal = self._pick(rng, REFUSE[move.reason])
            follow = self._render(move.then, rng, pushed) if move.then else ""
            return f"{refusal} {follow}".strip()
        if kind == "reconsider":
            label = self._label(move.choice)
            doubt = self._pick(rng, RECONSIDER).format(label=label)
            alt = self._pick(rng, CHALLENGE_ALTERNATIVE).format(alt=self._label(move.alternative))
            return " ".join(p for p in (ack, doubt, self._evidence(move, rng), alt) if p)
        if kind == "debrief":
            return self._debrief(move, rng, ack)
        return self._pick(rng, CLOSED)

    def _evidence(self, move: Move, rng: random.Random) -> str:
        """The case's own question that the choice has to survive (a concept's probe)."""
        if not move.concept:
            return ""
        return f"{self._pick(rng, EVIDENCE_LEAD)} {self._probe_text(move.concept)}"

    def _defensible(self, choice_id: str | None) -> bool:
        return not self.lab.defensible or choice_id in self.lab.defensible

    def _debrief(self, move: Move, rng: random.Random, ack: str) -> str:
        d = move.debrief
        assert d is not None  # a debrief move always carries its debrief
        # the acknowledgement is not repeated: the list below names every point
        opener = (DEBRIEF_DONE if d.completed else
                  DEBRIEF_ASKED if move.reason == "asked" else DEBRIEF_LIMIT)
        lines = [self._pick(rng, opener)]
        if d.choice:
            verdict = ("a position that holds up" if self._defensible(d.choice)
                       else "a position that the evidence does not support well")
            lines.append(f"You committed to {self._label(d.choice)}: {verdict}.")
        else:
            lines.append("You never committed to one answer, and that cost you the most.")
        if d.got_right:
            lines.append("What you got right:")
            lines += [f"- {p.concept}: {p.detail}" for p in d.got_right]
        if d.missed:
            lines.append("What you missed, and why it matters:")
            lines += [f"- {p.concept}: {p.detail}" for p in d.missed]
        if d.misconceptions:
            lines.append("Watch out for:")
            lines += [f"- {m}" for m in d.misconceptions]
        if d.hints_used:
            lines.append(f"Hints used: {d.hints_used}.")
        status = "Lab complete." if d.completed else "Not complete yet: restart to try again."
        lines.append(f"Score: {d.score}/100. {status}")
        return "\n".join(lines)
