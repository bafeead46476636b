"""The dashboard: total XP, completion per module, test and exam results."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_dashboard_shows_total_xp_module_completion_and_test_results(alice_client, course):
    alice_client.post(reverse("catalog:complete", args=("sample", "m1-l1")))
    alice_client.post(reverse("catalog:complete", args=("sample", "sample-intro")))
    start = alice_client.post(reverse("assessments:start", args=("sample", "m1-test")))
    pk = re.search(r"/attempts/(\d+)/", start["Location"]).group(1)
    alice_client.post(reverse("assessments:submit", args=(pk,)), {"shown": "q-q3", "q-q3": "44"})
    page = alice_client.get("/dashboard/").content.decode()
    xp = course.item("m1-l1").xp + course.item("sample-intro").xp
    assert f'<span class="xp-number" id="xp-total">{xp}</span>' in page
    assert "<td>2 / 5</td>" in page  # module 1: two of five done
    assert "<td>0 / " in page  # module 2: nothing yet
    assert "Module 1 Test" in page and "33%" in page and "Failed" in page


@pytest.mark.django_db
def test_dashboard_shows_only_the_learners_own_records(alice_client, bob_client):
    alice_client.post(reverse("catalog:complete", args=("sample", "m1-l1")))
    page = bob_client.get("/dashboard/").content.decode()
    assert '<span class="xp-number" id="xp-total">0</span>' in page
    assert "No submitted tests yet." in page
