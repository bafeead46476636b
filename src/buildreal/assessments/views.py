"""Quiz and test/exam views. Thin: parsing and grading live in grading.py, quiz.py and
attempts.py. Every POST works without JavaScript (redirect or full page); with HTMX the
same URL answers with a fragment of the page's own template."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from buildreal.assessments import attempts, grading, quiz, requirements, spoken
from buildreal.assessments.models import Attempt, AttemptAnswer, QuizAnswer
from buildreal.catalog.content import get_course_or_404, get_item_or_404
from buildreal.catalog.pages import item_context
from buildreal.packs.model import Course, Item, Question
from buildreal.progress.services import is_completed
from buildreal.web.templatetags.cachedurls import cached_reverse

GRADED_KINDS = ("test", "exam")


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _number(value: float | None) -> str:
    """A stored numeric answer as the learner would type it (100480, not 100480.0)."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


# --- lesson quizzes ------------------------------------------------------------------

GENERIC_HINTS = {
    "single": "Re-read the prompt and ask what each remaining option would predict; "
              "rule out the one you picked first.",
    "multiple": "Judge each option on its own: would it be true in the situation the "
                "prompt describes?",
    "numeric": "Redo the calculation one step at a time and check which quantity each "
               "number stands for.",
}


def _quiz_question(request: HttpRequest, course: Course, item: Item, number: int,
                   question: Question, stored: QuizAnswer | None, error: str = "",
                   fresh: bool = False, state: quiz.QuestionState | None = None
                   ) -> dict[str, Any]:
    """Everything one question block shows.

    The right option, the expected number and the explanations are looked at only when
    the learner's stored history reveals them (solved, a second wrong try, or "Show me"):
    before that a wrong pick shows its own feedback and a hint, nothing that names the
    answer."""
    if state is None:
        state = quiz.question_states(request.user, course, item).get(
            question.id, quiz.QuestionState())
    answered = stored is not None and not fresh
    latest_right = bool(stored.correct) if answered else False
    revealed = not fresh and (answered or state.asked) and state.revealed
    chosen = set(stored.given.get("options", ())) if answered else set()
    # A chosen option's own feedback. On a select-all question it would mark which of the
    # ticked options are wrong (ticking every box would read out the key), so there it
    # waits for the reveal, as the right options do; a single pick is known wrong anyway.
    feedback_open = answered and (question.type != "multiple" or revealed)
    options = [
        {
            "value": shown.value,
            "option": shown.option,
            "chosen": shown.option.id in chosen,
            "feedback": shown.option.feedback
            if feedback_open and shown.option.id in chosen else "",
            "correct": shown.option.correct if revealed else None,
            # An option written in math gets a spoken name (see spoken.py).
            "spoken": spoken.spoken(shown.option.text) if spoken.has_math(shown.option.text)
            else "",
        }
        for shown in quiz.shown_options(request.user, course, item, question)
    ]
    return {
        "course": course, "item": item, "number": number, "question": question,
        "options": options, "answered": answered, "error": error,
        "correct": latest_right if answered else None,
        "revealed": revealed,
        "hint": (question.hint or GENERIC_HINTS[question.type])
        if answered and not latest_right and not revealed else "",
        "expected": _number(question.answer)
        if revealed and question.type == "numeric" and not latest_right else "",
        "wrong_tries": state.wrong,
        "given_value": _number(stored.given.get("value")) if answered else "",
        # Remembered per process, as the {% url %} tag's are (web/templatetags/cachedurls.py).
        "action": cached_reverse("assessments:quiz-answer", [course.id, item.id, question.id],
                                 {}, None),
        "show_action": cached_reverse("assessments:quiz-show",
                                      [course.id, item.id, question.id], {}, None),
    }


def _status_line(item: Item, answered: int, solved: int) -> str:
    total = len(item.assessment.questions)
    if solved == total:
        return f"{solved} of {total} right. Quiz complete."
    return f"{answered} of {total} answered, {solved} right."


def quiz_page(request: HttpRequest, course: Course, item: Item,
              errors: dict[str, str] | None = None, status: int = 200) -> HttpResponse:
    errors = errors or {}
    latest = quiz.latest_answers(request.user, course, item)
    states = quiz.question_states(request.user, course, item)
    again = request.GET.get("again", "")
    questions = [
        _quiz_question(request, course, item, number, question, latest.get(question.id),
                       errors.get(question.id, ""), fresh=question.id in (again, *errors),
                       state=states.get(question.id, quiz.QuestionState()))
        for number, question in enumerate(item.assessment.questions, start=1)
    ]
    blank = quiz.QuestionState()
    solved = sum(1 for q in item.assessment.questions if states.get(q.id, blank).solved)
    context = {
        **item_context(request, course, item),
        "questions": questions,
        "answered_count": sum(1 for q in item.assessment.questions if q.id in latest),
        "solved_count": solved,
        "total": len(item.assessment.questions),
        "correct_count": sum(1 for a in latest.values() if a.correct),
        "first_try_count": sum(1 for q in item.assessment.questions
                               if states.get(q.id, blank).first_try_right),
    }
    return render(request, "assessments/quiz.html", context, status=status)


def _quiz_target(course_id: str, item_id: str, question_id: str
                 ) -> tuple[Course, Item, int, Question]:
    course = get_course_or_404(course_id)
    item = get_item_or_404(course, item_id)
    if item.kind != "quiz":
        raise Http404("Only quiz questions are answered one at a time.")
    found = [(n, q) for n, q in enumerate(item.assessment.questions, 1) if q.id == question_id]
    if not found:
        raise Http404(f"No question {question_id!r} in {item.id}.")
    number, question = found[0]
    return course, item, number, question


@require_POST
@login_required
def quiz_answer(request: HttpRequest, course_id: str, item_id: str, question_id: str
                ) -> HttpResponse:
    course, item, number, question = _quiz_target(course_id, item_id, question_id)
    try:
        recorded = quiz.record(request.user, course, item, question,
                               request.POST.getlist("answer"))
    except grading.AnswerError as exc:
        if not _is_htmx(request):
            return quiz_page(request, course, item, errors={question.id: str(exc)}, status=400)
        context = _quiz_question(request, course, item, number, question, None, str(exc))
        return render(request, "assessments/_quiz_question.html", context)
    stored, awarded = recorded.stored, recorded.awarded
    if not _is_htmx(request):
        if awarded:
            messages.success(request, f"Quiz complete: +{recorded.xp} XP.")
        return redirect(reverse("catalog:item", args=(course.id, item.id))
                        + f"#question-{question.id}")
    context = _quiz_question(request, course, item, number, question, stored,
                             state=(recorded.states or {}).get(question.id))
    context["quiz_completed_now"] = awarded
    context["earned_xp"] = recorded.xp
    # The page's "k of N" line is updated out of band in the same response.
    context["status_update"] = _status_line(item, recorded.answered, recorded.solved)
    return render(request, "assessments/_quiz_question.html", context)


@require_POST
@login_required
def quiz_show(request: HttpRequest, course_id: str, item_id: str, question_id: str
              ) -> HttpResponse:
    """"Show me": reveal the right answer and the explanation of one question. The
    question still has to be answered correctly to count."""
    course, item, number, question = _quiz_target(course_id, item_id, question_id)
    quiz.reveal(request.user, course, item, question)
    if not _is_htmx(request):
        return redirect(reverse("catalog:item", args=(course.id, item.id))
                        + f"#question-{question.id}")
    latest = quiz.latest_answers(request.user, course, item).get(question.id)
    context = _quiz_question(request, course, item, number, question, latest)
    return render(request, "assessments/_quiz_question.html", context)


# --- module tests and exams ------------------------------------------------------------

def test_page(request: HttpRequest, course: Course, item: Item) -> HttpResponse:
    """The test's front page: rules, past attempts, and Start / Continue."""
    past = attempts.attempts_for(request.user, course, item)
    for attempt in past:
        attempts.expire_if_due(attempt, course, item)
    assessment = item.assessment
    current = next((a for a in past if not a.is_submitted), None)
    signed_in = request.user.is_authenticated
    left = attempts.attempts_left(request.user, course, item) if signed_in else None
    needed = requirements.requirements(request.user, course, item)
    locked = any(not r.passed for r in needed)
    return render(request, "assessments/test.html", {
        **item_context(request, course, item),
        "assessment": assessment, "attempts": past, "current": current,
        "requirements": needed, "locked": locked,
        "attempts_left": left,
        "can_start": current is None and (left is None or left > 0) and not locked,
        "completed": is_completed(request.user, course.id, item.id),
    })


@require_POST
@login_required
def start_attempt(request: HttpRequest, course_id: str, item_id: str) -> HttpResponse:
    course = get_course_or_404(course_id)
    item = get_item_or_404(course, item_id)
    if item.kind not in GRADED_KINDS:
        raise Http404("Only tests and exams have attempts.")
    try:
        attempt = attempts.start(request.user, course, item)
    except attempts.AttemptError as exc:
        messages.error(request, str(exc))
        return redirect("catalog:item", course.id, item.id)
    return redirect("assessments:attempt", attempt.pk)


def _attempt_parts(request: HttpRequest, pk: int) -> tuple[Attempt, Course, Item]:
    attempt = attempts.for_user_or_404(request.user, pk)
    course = get_course_or_404(attempt.course_id)
    item = get_item_or_404(course, attempt.item_id)
    if item.kind not in GRADED_KINDS:
        raise Http404("This attempt's item is no longer a test.")
    return attempt, course, item


def _attempt_questions(attempt: Attempt, item: Item, graded: bool,
                       reveal: bool = False) -> list[dict[str, Any]]:
    """Rows for the attempt or review page. ``graded`` marks each of the learner's answers
    right or wrong; ``reveal`` (the review policy allows it) adds the right options, the
    expected numbers and the explanations. Neither is looked at while an attempt is open."""
    saved = {answer.question_id: answer for answer in attempt.answers.all()}
    rows = []
    for shown in attempts.shown_questions(attempt, item):
        answer: AttemptAnswer | None = saved.get(shown.question.id)
        chosen = set(answer.given.get("options", ())) if answer else set()
        rows.append({
            "shown": shown,
            "question": shown.question,
            "options": [
                {"value": value, "option": option, "chosen": option.id in chosen,
                 "spoken": spoken.spoken(option.text) if spoken.has_math(option.text) else "",
                 # Correctness is looked at only when a review may reveal it.
                 "correct": option.correct if reveal else None}
                for value, option in shown.options
            ],
            "given_value": _number(answer.given.get("value")) if answer else "",
            "expected": _number(shown.question.answer) if reveal else "",
            "tolerance": _number(shown.question.tolerance) if reveal else "",
            "correct": (answer.correct if answer else False) if graded else None,
            "answered": answer is not None,
        })
    return rows


@require_safe
@login_required
def attempt_page(request: HttpRequest, pk: int) -> HttpResponse:
    attempt, course, item = _attempt_parts(request, pk)
    attempts.expire_if_due(attempt, course, item)
    attempt.refresh_from_db()
    context = {
        **item_context(request, course, item), "attempt": attempt,
        "assessment": item.assessment, "total": item.assessment.per_attempt,
        "answered_count": attempts.answered_count(attempt, item),
    }
    if attempt.is_submitted:
        # An earlier attempt's review shows the right options; while another attempt at
        # the same item is open it would answer that attempt's questions, so it waits.
        current = attempts.open_attempt(request.user, course, item)
        if current is not None and not attempts.expire_if_due(current, course, item):
            context["open_attempt"] = current
        else:
            reveal = attempts.reveals_answers(attempt, course, item)
            context["reveal"] = reveal
            context["questions"] = _attempt_questions(attempt, item, graded=True,
                                                      reveal=reveal)
        return render(request, "assessments/review.html", context)
    context["questions"] = _attempt_questions(attempt, item, graded=False)
    return render(request, "assessments/attempt.html", context)


@require_POST
@login_required
def attempt_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the answers as chosen. Never grades: the reply is the answered counter, the
    same bytes for a right and a wrong choice."""
    attempt, course, item = _attempt_parts(request, pk)
    try:
        answered = attempts.save(attempt, item, request.POST)
    except attempts.AttemptError as exc:
        attempts.expire_if_due(attempt, course, item)
        page = reverse("assessments:attempt", args=(attempt.pk,))
        if _is_htmx(request):
            response = HttpResponse(str(exc), status=409, content_type="text/plain")
            response["HX-Redirect"] = page
            return response
        messages.error(request, str(exc))
        return redirect(page)
    if _is_htmx(request):
        return render(request, "assessments/_counter.html",
                      {"answered_count": answered, "total": item.assessment.per_attempt})
    messages.info(request, f"Saved: {answered} of {item.assessment.per_attempt} answered.")
    return redirect("assessments:attempt", attempt.pk)


@require_POST
@login_required
def attempt_submit(request: HttpRequest, pk: int) -> HttpResponse:
    attempt, course, item = _attempt_parts(request, pk)
    if not attempt.is_submitted:
        try:
            attempts.save(attempt, item, request.POST)  # what the form holds at submission
        except attempts.AttemptError:
            pass  # past the deadline: only answers saved in time count
        attempt = attempts.submit(attempt, course, item)
        verdict = "passed" if attempt.passed else "did not pass"
        messages.info(request, f"Submitted: {round(attempt.score * 100)}%, you {verdict}.")
    return redirect("assessments:attempt", attempt.pk)
