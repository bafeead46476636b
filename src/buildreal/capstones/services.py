"""The exchange's steps, on the database. Views call these; every rule lives here.

Steps of one learner: write and submit a brief; get a partner (a peer of the same cohort,
or of the course when they have no cohort; the lab partner after the wait); write two
objections to the peer's brief; answer the objections to their own; revise; done (XP once).

``now`` is looked up on this module at each call so tests can move the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from buildreal.capstones import briefs, labpartner
from buildreal.capstones.briefs import InputError
from buildreal.capstones.models import Brief, Grade, Objection, Response
from buildreal.packs.model import Course, Item
from buildreal.progress.services import award_completion
from buildreal.teaching.models import Cohort

now = timezone.now

__all__ = ["InputError", "Steps", "brief_for", "save_draft", "submit", "refresh",
           "write_objections", "respond", "revise", "steps"]


def matcher():  # the tutor's matcher, chosen from the environment (cached there)
    from buildreal.tutor import default_matcher

    return default_matcher()


def backend():  # the LLM wording when one is configured, else the offline draft
    from buildreal.tutor import DefaultBackend, backend_from_env

    return backend_from_env() or DefaultBackend()


# --- briefs ----------------------------------------------------------------------------------

def brief_for(user: AbstractBaseUser, course: Course, item: Item,
              create: bool = False) -> Brief | None:
    found = Brief.objects.filter(user=user, course_id=course.id, item_id=item.id).first()
    if found is None and create:
        try:
            with transaction.atomic():
                found = Brief.objects.create(user=user, course_id=course.id, item_id=item.id,
                                             content_hash=item.content_hash)
        except IntegrityError:  # two first saves racing
            found = Brief.objects.get(user=user, course_id=course.id, item_id=item.id)
    return found


def writing(brief: Brief | None) -> str:
    """Which text the editor is for: "first" (before submission), "revision", or ""."""
    if brief is None or brief.submitted_at is None:
        return "first"
    if brief.revised_at is None and all_responded(brief):
        return "revision"
    return ""


def save_draft(brief: Brief, text: str) -> Brief:
    """Autosave the editor. Raises ``InputError`` (NUL, too long) or if nothing is open."""
    text = briefs.clean(text, "brief", briefs.MAX_BRIEF_CHARS, required=False)
    if not writing(brief):
        raise InputError("This brief is not open for editing now.")
    brief.draft = text
    brief.draft_saved_at = now()
    brief.save(update_fields=["draft", "draft_saved_at"])
    return brief


def submit(brief: Brief, item: Item, text: str) -> Brief:
    """Freeze the first version (all required sections present) and look for a partner."""
    if brief.submitted_at is not None:
        raise InputError("This brief has already been submitted.")
    text = briefs.clean(text, "brief", briefs.MAX_BRIEF_CHARS)
    missing = briefs.missing_sections(text, item.capstone.required_sections)
    if missing:
        raise InputError("The brief needs a heading for each required section; missing: "
                         + ", ".join(missing) + ". Add them as '# Heading' lines.")
    brief.draft = brief.first_version = text
    brief.submitted_at = now()
    brief.pseudonym = briefs.pseudonym(f"{settings.SECRET_KEY}:brief:{brief.pk}")
    brief.save(update_fields=["draft", "first_version", "submitted_at", "pseudonym"])
    _pair(brief)
    brief.refresh_from_db()
    return brief


def _cohort_scope(user: AbstractBaseUser) -> Q:
    """Learners a brief may be paired with: the same cohort, else others with none."""
    cohorts = list(Cohort.objects.filter(learners=user).values_list("pk", flat=True))
    if cohorts:
        return Q(user__cohorts__in=cohorts)
    return Q(user__cohorts__isnull=True)


def _pair(brief: Brief) -> None:
    """Pair with the longest-waiting unpaired peer brief of the same capstone, if any.

    Both rows are locked in primary-key order and re-checked, so two learners submitting
    at once neither deadlock nor end up in two pairs.
    """
    me = Brief.objects.select_related("user").get(pk=brief.pk)
    if me.partner_id or me.lab_partner:
        return
    candidates = Brief.objects.filter(
        _cohort_scope(me.user), course_id=me.course_id, item_id=me.item_id,
        submitted_at__isnull=False, partner__isnull=True, lab_partner=False,
    ).exclude(pk=me.pk).order_by("submitted_at", "pk").values_list("pk", flat=True)
    for pk in list(dict.fromkeys(candidates)):
        with transaction.atomic():
            pair = {b.pk: b for b in Brief.objects.select_for_update().filter(
                pk__in=[me.pk, pk]).order_by("pk")}
            mine, other = pair[me.pk], pair[pk]
            if mine.partner_id or mine.lab_partner:
                return
            if other.partner_id is None and not other.lab_partner:
                at = now()
                mine.partner, mine.paired_at = other, at
                other.partner, other.paired_at = mine, at
                mine.save(update_fields=["partner", "paired_at"])
                other.save(update_fields=["partner", "paired_at"])
                return


def _wait(item: Item) -> timedelta:
    return timedelta(hours=item.capstone.partner_wait_hours)


def refresh(brief: Brief, course: Course, item: Item) -> Brief:
    """Bring a brief's exchange up to date with the clock (called when it is viewed).

    A brief with no partner after the wait gets the lab partner. A peer who has written
    no objection within the wait after pairing is covered by the lab partner's objections
    too, so that nobody is blocked by someone else.
    """
    if brief.submitted_at is None:
        return brief
    at = now()
    if brief.partner_id is None and not brief.lab_partner:
        _pair(brief)
        brief.refresh_from_db()
    if brief.partner_id is None and not brief.lab_partner and (
            brief.wait_ended or at >= brief.submitted_at + _wait(item)):
        with transaction.atomic():
            locked = Brief.objects.select_for_update().get(pk=brief.pk)
            if locked.partner_id is None and not locked.lab_partner:
                locked.lab_partner, locked.paired_at = True, at
                locked.save(update_fields=["lab_partner", "paired_at"])
                _lab_objections(locked, item)
        brief.refresh_from_db()
    elif brief.partner_id and not received(brief).exists() and brief.paired_at and (
            brief.wait_ended or at >= brief.paired_at + _wait(item)):
        with transaction.atomic():
            Brief.objects.select_for_update().get(pk=brief.pk)
            _lab_objections(brief, item)
    return brief


def _lab_objections(brief: Brief, item: Item) -> None:
    if brief.objections.filter(author__isnull=True).exists():
        return
    for objection in labpartner.raise_objections(item.capstone, brief.first_version,
                                                 matcher(), backend()):
        Objection.objects.create(brief=brief, author=None, concept_id=objection.concept_id,
                                 part=objection.part[:200], text=objection.text)


# --- objections and responses ----------------------------------------------------------------

def received(brief: Brief):
    """The objections this brief's author must answer: the current peer partner's and the
    lab partner's, without those an instructor hid."""
    who = Q(author__isnull=True)
    if brief.partner_id:
        who |= Q(author_id=brief.partner.user_id)
    return brief.objections.filter(who, hidden=False)


def written_by_me(brief: Brief):
    """The objections this brief's author wrote to their peer partner's brief."""
    if not brief.partner_id:
        return Objection.objects.none()
    return Objection.objects.filter(brief_id=brief.partner_id, author_id=brief.user_id)


def write_objections(author_brief: Brief, entries: list[tuple[str, str]]) -> None:
    """Two objections to the partner's brief, each (part disputed, objection)."""
    partner = author_brief.partner
    if partner is None or partner.submitted_at is None:
        raise InputError("You have no partner brief to object to.")
    if written_by_me(author_brief).exists():
        raise InputError("You have already sent your objections.")
    if len(entries) != labpartner.OBJECTIONS:
        raise InputError("Write exactly two objections.")
    cleaned = []
    for number, (part, text) in enumerate(entries, start=1):
        part = briefs.clean(part, f"part disputed by objection {number}",
                            briefs.MAX_PART_CHARS).strip()
        text = briefs.clean(text, f"objection {number}", briefs.MAX_OBJECTION_CHARS).strip()
        cleaned.append((part, text))
    with transaction.atomic():
        for part, text in cleaned:
            Objection.objects.create(brief=partner, author=author_brief.user, part=part,
                                     text=text)


def respond(objection: Objection, text: str) -> Response:
    if hasattr(objection, "response"):
        raise InputError("This objection has already been answered.")
    text = briefs.clean(text, "response", briefs.MAX_RESPONSE_CHARS).strip()
    try:
        with transaction.atomic():
            return Response.objects.create(objection=objection, text=text)
    except IntegrityError:
        raise InputError("This objection has already been answered.") from None


def all_responded(brief: Brief) -> bool:
    mine = received(brief)
    return mine.exists() and not mine.filter(response__isnull=True).exists()


def revise(brief: Brief, course: Course, item: Item, text: str) -> Brief:
    if writing(brief) != "revision":
        raise InputError("Answer every objection before revising.")
    text = briefs.clean(text, "revised brief", briefs.MAX_BRIEF_CHARS)
    brief.draft = brief.revision = text
    brief.revised_at = now()
    brief.save(update_fields=["draft", "revision", "revised_at"])
    complete_if_done(brief, course, item)
    return brief


# --- progress -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Steps:
    submitted: bool
    paired: bool
    with_lab_partner: bool
    objections_written: bool  # to the peer's brief (not needed with the lab partner)
    objections_received: bool
    responded: bool
    revised: bool

    @property
    def owes_objections(self) -> bool:
        return self.paired and not self.with_lab_partner and not self.objections_written

    @property
    def done(self) -> bool:
        return (self.submitted and self.paired and self.objections_received
                and self.responded and self.revised
                and (self.with_lab_partner or self.objections_written))


def steps(brief: Brief | None) -> Steps:
    if brief is None:
        return Steps(False, False, False, False, False, False, False)
    peer = brief.partner_id is not None
    return Steps(
        submitted=brief.submitted_at is not None,
        paired=peer or brief.lab_partner,
        with_lab_partner=brief.lab_partner and not peer,
        objections_written=written_by_me(brief).count() >= labpartner.OBJECTIONS,
        objections_received=received(brief).exists(),
        responded=all_responded(brief),
        revised=brief.revised_at is not None,
    )


def complete_if_done(brief: Brief, course: Course, item: Item) -> bool:
    """Mark the exchange complete and award the capstone's XP (once) when every step is
    done; True if this call awarded it."""
    if not steps(brief).done:
        return False
    if brief.completed_at is None:
        Brief.objects.filter(pk=brief.pk, completed_at__isnull=True).update(completed_at=now())
        brief.refresh_from_db()
    return award_completion(brief.user, course, item)


def verdicts(brief: Brief, item: Item) -> dict[int, str]:
    """For the lab partner's objections that have a response: which the response answered."""
    out = {}
    for objection in received(brief).filter(author__isnull=True, response__isnull=False
                                            ).select_related("response"):
        out[objection.pk] = labpartner.answered(item.capstone, objection.concept_id,
                                                objection.response.text, matcher())
    return out


# --- instructors ------------------------------------------------------------------------------

def briefs_taught_by(instructor: AbstractBaseUser):
    return Brief.objects.filter(user__cohorts__instructor=instructor).distinct()


def reassign(brief: Brief, new_partner: Brief) -> None:
    """Pair two briefs of the same capstone, unpairing whoever they were with."""
    if new_partner.pk == brief.pk or (new_partner.course_id, new_partner.item_id) != (
            brief.course_id, brief.item_id) or new_partner.submitted_at is None:
        raise InputError("Choose another submitted brief of the same capstone.")
    with transaction.atomic():
        pair = list(Brief.objects.select_for_update().filter(
            pk__in=[brief.pk, new_partner.pk]).order_by("pk"))
        olds = [b.partner_id for b in pair if b.partner_id]
        Brief.objects.filter(pk__in=olds).update(partner=None, paired_at=None)
        at = now()
        Brief.objects.filter(pk=brief.pk).update(partner=new_partner, paired_at=at,
                                                 lab_partner=False)
        Brief.objects.filter(pk=new_partner.pk).update(partner=brief, paired_at=at,
                                                       lab_partner=False)


def end_wait(brief: Brief, course: Course, item: Item) -> Brief:
    brief.wait_ended = True
    brief.save(update_fields=["wait_ended"])
    return refresh(brief, course, item)


def hide(objection: Objection, instructor: AbstractBaseUser) -> None:
    objection.hidden, objection.hidden_by = True, instructor
    objection.save(update_fields=["hidden", "hidden_by"])


def grade(brief: Brief, item: Item, grader: AbstractBaseUser, scores: dict[str, int],
          comment: str) -> Grade:
    known = {c.id for c in item.capstone.rubric}
    if set(scores) != known or any(v not in (0, 1, 2) for v in scores.values()):
        raise InputError("Give every rubric concept a score of 0, 1 or 2.")
    comment = briefs.clean(comment, "comment", briefs.MAX_RESPONSE_CHARS, required=False)
    found, _ = Grade.objects.update_or_create(
        brief=brief, defaults={"grader": grader, "scores": scores, "comment": comment})
    return found
