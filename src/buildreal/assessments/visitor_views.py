"""A visitor's quiz try and "Show me": the learner's question block, nothing stored."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from buildreal.assessments import grading, quiz, visitor
from buildreal.assessments.models import QuizAnswer
from buildreal.assessments.views import _quiz_question, _quiz_target, quiz_answer, quiz_show
from buildreal.catalog.pages import item_context


def _block(request: HttpRequest, course, item, number, question, state, stored=None,
           error: str = "") -> HttpResponse:
    context = _quiz_question(request, course, item, number, question, stored, error,
                             state=state)
    context["visitor_token"] = visitor.dump_state(state, course, item, question)
    context["item_url"] = reverse("catalog:item", args=(course.id, item.id))
    if request.headers.get("HX-Request"):
        return render(request, "assessments/_quiz_question.html", context)
    # Without JavaScript: the question alone on an item page, with a way back.
    page = {**item_context(request, course, item), "q": context}
    return render(request, "assessments/visitor_try.html", page)


@require_POST
def quiz_try(request: HttpRequest, course_id: str, item_id: str, question_id: str
             ) -> HttpResponse:
    """Grade a visitor's answer without storing it; a signed-in learner's goes to the
    stored path. Without HTMX (no JavaScript) the question block comes back alone."""
    if request.user.is_authenticated:
        return quiz_answer(request, course_id, item_id, question_id)
    course, item, number, question = _quiz_target(course_id, item_id, question_id)
    state = visitor.load_state(request.POST.get("visitor", ""), course, item, question)
    values = request.POST.getlist("answer")
    try:
        if question.type != "numeric":
            values = quiz.option_ids_for(
                quiz.shown_options(request.user, course, item, question), values)
        given = grading.parse_answer(question, values)
    except grading.AnswerError as exc:
        return _block(request, course, item, number, question, state, error=str(exc))
    result = grading.grade(question, given)
    state = visitor.after_answer(state, result.correct)
    # An unsaved answer, only so that the block shows the choice and its feedback.
    shown = QuizAnswer(course_id=course.id, item_id=item.id, question_id=question.id,
                       given=given, correct=result.correct)
    return _block(request, course, item, number, question, state, stored=shown)


@require_POST
def quiz_try_show(request: HttpRequest, course_id: str, item_id: str, question_id: str
                  ) -> HttpResponse:
    """A visitor's "Show me": the answer is revealed, as for a learner, and not stored."""
    if request.user.is_authenticated:
        return quiz_show(request, course_id, item_id, question_id)
    course, item, number, question = _quiz_target(course_id, item_id, question_id)
    state = visitor.after_show(
        visitor.load_state(request.POST.get("visitor", ""), course, item, question))
    return _block(request, course, item, number, question, state)
