"""Project 5's ``api.load_translator`` (the interface the final project imports) and the
``run_transformer_translate`` demo, on a tiny preset trained once for the module: it is
saved, loads again without training, translates lists in order, and the demo prints the
notes' two lines, draws the attention heads and writes a report the checker accepts."""

from __future__ import annotations

from pathlib import Path

import matplotlib.image as mpimg
import pytest

from buildreal.projects.p5_translator import api, judges
from buildreal.projects.p5_translator.cli import main

pytestmark = pytest.mark.usefixtures("one_torch_thread")  # see conftest.py


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    folder = tmp_path_factory.mktemp("p5-models")
    api.load_translator("es-en", models_dir=folder, preset="tiny")  # trains and saves
    torch.set_num_threads(before)
    return folder


def test_load_translator_loads_the_saved_model_and_translates_in_order(models_dir):
    assert (models_dir / "translator-es-en-tiny" / "model.pt").is_file()
    first = api.load_translator("es-en", models_dir=models_dir, preset="tiny",
                                train_if_missing=False)
    texts = ["y dijo dios", "la luz", "el mundo"]
    out = first.translate(texts)
    assert len(out) == 3 and all(isinstance(t, str) for t in out)
    assert len(first.translate(texts, beam=3)) == 3
    assert first.translate(texts[1:]) == out[1:]  # batching does not change a translation
    again = api.load_translator("es-en", models_dir=models_dir, preset="tiny",
                                train_if_missing=False)
    assert again.translate(texts) == out  # the same weights and tokenizer came back
    assert again.direction == "es-en" and again.info["preset"] == "tiny"


def test_load_translator_without_a_model_and_without_training_says_how_to_get_one(tmp_path):
    with pytest.raises(api.ModelMissing, match="run_transformer_translate --direction en-es"):
        api.load_translator("en-es", models_dir=tmp_path, train_if_missing=False)


@pytest.mark.parametrize("kwargs, message", [({"direction": "fr-en"}, "not one of en-es"),
                                             ({"preset": "huge"}, "not one of tiny")])
def test_load_translator_refuses_an_unknown_direction_or_preset(tmp_path, kwargs, message):
    with pytest.raises(ValueError, match=message):
        api.load_translator(models_dir=tmp_path, **kwargs)


def test_demo_prints_input_and_output_draws_each_head_and_writes_a_report(
        models_dir, tmp_path, capsys):
    plot, report = tmp_path / "heads.png", tmp_path / "report"
    assert main(["hola", "mundo", "--direction", "es-en", "--preset", "tiny",
                 "--models-dir", str(models_dir), "--beam", "2", "--attention", str(plot),
                 "--report", str(report), "--test-limit", "12"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "input: hola mundo" and lines[1].startswith("output: ")
    image = mpimg.imread(plot)
    assert image.shape[0] > 50 and image[..., :3].std() > 0.01  # something was drawn
    text = (report / "report.md").read_text()
    assert "dictionary baseline" in text and "![attention](attention.png)" in text
    assert (report / "attention.png").is_file()
    for judge in (judges.report_results, judges.report_attention):
        verdict = judge(_FolderEvidence(report))
        assert verdict.startswith(("BLEU", "report.md shows"))


class _FolderEvidence:
    """Just enough of ``checking.Evidence`` for the report judges: the learner folder."""

    def __init__(self, folder: Path) -> None:
        self.learner_dir = folder

    def read_text(self, relative: str) -> str | None:
        path = self.learner_dir / relative
        return path.read_text(encoding="utf-8") if path.is_file() else None
