"""``run_semantic_search`` on the real course packs with the tiny encoder: the notes'
numbered results with scores, a relevant lesson for a course query, clear errors."""

from __future__ import annotations

import re

import pytest

from buildreal.projects.p6_search.cli import main

pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory: pytest.TempPathFactory):
    return tmp_path_factory.mktemp("p6-demo-models")


def test_demo_prints_ranked_passages_with_scores_best_first(models_dir, capsys):
    assert main(["vanishing gradients", "--preset", "tiny", "--models-dir", str(models_dir),
                 "--index", "exact"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "query: vanishing gradients"
    ranks = re.findall(r"^  (\d+)\. \"", out, re.MULTILINE)
    assert ranks == ["1", "2", "3", "4", "5"]
    scores = [float(s) for s in re.findall(r"score (-?\d\.\d+)", out)]
    assert len(scores) == 5 and scores == sorted(scores, reverse=True)
    results = out.split("  1. ", 1)[1]
    assert "vanish" in results.lower()  # a passage about the topic, not a random one


def test_hnsw_and_exact_demo_agree_on_the_top_result(models_dir, capsys):
    main(["attention heads", "--preset", "tiny", "--models-dir", str(models_dir), "-k", "1",
          "--index", "exact"])
    exact = capsys.readouterr().out.split("  1. ", 1)[1]
    main(["attention heads", "--preset", "tiny", "--models-dir", str(models_dir), "-k", "1"])
    assert capsys.readouterr().out.split("  1. ", 1)[1] == exact


def test_empty_query_and_missing_packs_are_reported_not_crashes(models_dir, tmp_path, capsys):
    assert main(["  ", "--preset", "tiny", "--models-dir", str(models_dir)]) == 2
    assert "give a query" in capsys.readouterr().err
    assert main(["x", "--preset", "tiny", "--models-dir", str(models_dir),
                 "--courses", str(tmp_path)]) == 2
    assert "no course passages" in capsys.readouterr().err
