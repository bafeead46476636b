"""The public verification page of a course completion, and the same page as a PDF.

Anyone with the link may open it: the code in the URL is the only key, so a forged or
mistyped code answers 404 exactly like a missing one, and the page shows only the name,
the course, the date and the code.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from buildreal.certificates.models import CourseCompletion
from buildreal.certificates.pdf import html_to_pdf


def _record_or_404(code: str) -> CourseCompletion:
    try:
        return CourseCompletion.objects.get(code=code)
    except CourseCompletion.DoesNotExist:
        raise Http404("No completion has this verification code.") from None


@require_safe
def verify(request: HttpRequest, code: str) -> HttpResponse:
    record = _record_or_404(code)
    return render(request, "certificates/verify.html", {"record": record})


@require_safe
def verify_pdf(request: HttpRequest, code: str) -> HttpResponse:
    record = _record_or_404(code)
    page = request.build_absolute_uri(request.path.removesuffix(".pdf") + "/")
    html = render_to_string("certificates/certificate_pdf.html",
                            {"record": record, "page_url": page})
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="completion-{record.code}.pdf"'
    return response
