"""Markup the accessibility checks depend on, checked without a browser."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["accounts:signup", "accounts:login"])
def test_every_aria_describedby_points_at_ids_on_the_page(client, name):
    page = client.get(reverse(name)).content.decode()
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    described = [target for value in re.findall(r'aria-describedby="([^"]+)"', page)
                 for target in value.split()]
    assert [t for t in described if t not in ids] == []


@pytest.mark.django_db
def test_password_help_is_separate_items_not_one_run_together_line(client):
    page = client.get(reverse("accounts:signup")).content.decode()
    help_block = page[page.index('id="id_password1_helptext"'):]
    help_block = help_block[:help_block.index("</span>")]
    assert help_block.count("<li>") >= 2


@pytest.mark.django_db
def test_scrolling_code_blocks_take_focus_and_callouts_are_notes(client):
    page = client.get(reverse("catalog:item", args=("sample", "m1-l1"))).content.decode()
    assert '<pre tabindex="0"><code>' in page
    assert "<pre><code>" not in page
    assert 'class="callout callout-' in page and re.search(r'<aside class="callout[^"]*" '
                                                           r'role="note">', page)


def test_tables_scroll_in_their_own_box_and_figures_link_to_their_full_size_file():
    from buildreal.packs.render import render_markdown

    html = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n\n![Loss curve](figures/loss.svg)\n")
    assert html.startswith('<div class="table-scroll" tabindex="0"><table>')
    assert "</table>\n</div>" in html
    assert ('<a class="figure-link" href="figures/loss.svg" rel="noopener noreferrer">'
            '<img class="figure" src="figures/loss.svg" alt="Loss curve"') in html


def test_math_is_read_out_in_words_for_an_options_name():
    from buildreal.assessments.spoken import has_math, spoken

    assert spoken(r"$\eta \to 10\,\eta$") == "eta to 10 eta"
    assert spoken(r"$\frac{1}{2}$") == "1 over 2"
    assert spoken(r"$x^2$") == "x to the power 2"
    assert not has_math("Cut the learning rate to a tenth")


@pytest.mark.django_db
def test_an_option_written_only_in_math_has_a_spoken_name(alice_client):
    page = alice_client.get(reverse("catalog:item", args=("sample", "m2-check"))).content.decode()
    assert 'aria-label="eta to 10 eta"' in page
    assert page.count("aria-label=") >= 1
