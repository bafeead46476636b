"""Project 5's ``api.load_translator``, the interface the final project imports: a tiny
preset trains, is saved, loads again without training, and translates lists in order."""

from __future__ import annotations

import pytest

from buildreal.projects.p5_translator import api

pytestmark = pytest.mark.usefixtures("one_torch_thread")  # see conftest.py


def test_load_translator_trains_once_then_loads_the_saved_model(tmp_path, capsys):
    first = api.load_translator("es-en", models_dir=tmp_path, preset="tiny")
    assert "training a es-en Transformer (tiny)" in capsys.readouterr().err
    texts = ["y dijo dios", "la luz", "el mundo"]
    out = first.translate(texts)
    assert len(out) == 3 and all(isinstance(t, str) for t in out)
    assert len(first.translate(texts, beam=3)) == 3

    again = api.load_translator("es-en", models_dir=tmp_path, preset="tiny",
                                train_if_missing=False)
    assert "training" not in capsys.readouterr().err
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
