"""The final project's reference end to end on a tiny preset: the one command trains,
tracks, exports and indexes; the service answers a Spanish query through the real
Project 5 translators and Project 6 encoder (tiny presets: they translate badly, so the
test follows the words through the pipeline rather than judging the Spanish); a replayed
incident ends in a logged, tracked promotion."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from buildreal.projects.p11_final import cli, pipeline
from buildreal.projects.p11_final.reference import catalogue as ref

pytestmark = pytest.mark.usefixtures("one_torch_thread")  # see conftest.py


def test_one_command_builds_a_bilingual_catalogue_and_an_incident_ends_in_a_promotion(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, models, store = tmp_path / "run", tmp_path / "models", tmp_path / "mlruns"
    assert cli.main(["--out", str(out), "--limit", "2048", "--epochs", "2", "--no-serve",
                     "--text-preset", "tiny", "--models-dir", str(models),
                     "--mlflow-store", str(store)]) == 0
    printed = capsys.readouterr().out
    assert "catalogue: 2000 items indexed by image and by text (EN/ES)" in printed
    assert "http://127.0.0.1:8000/search?q=abrigo+oscuro&lang=es" in printed

    (run,) = ref.read_runs(store)  # the training run, tracked
    assert run["params"]["seed"] == "0" and len(run["params"]["data_version"]) == 16
    assert run["tags"]["sha256.model.onnx"] == ref.file_sha256(out / "model.onnx")
    assert 0.5 < run["metrics"]["test_accuracy"] <= 1.0
    assert run["metrics"]["onnx_logits_max_abs_diff"] < 1e-4

    text = pipeline.load_text_side(models, "tiny")  # cached by the command: loads
    assert text is not None
    client = TestClient(pipeline.build_app(out, text))
    es = client.get("/search", params={"q": "abrigo oscuro", "lang": "es", "k": 4})
    assert es.status_code == 200, es.text
    body = es.json()
    assert body["english_query"] == text.es_en.translate(["abrigo oscuro"])[0]
    assert len(body["results"]) == 4
    # The service translates the distinct English descriptions of the answers in one
    # batch (a translator's length cap can depend on the batch, so repeat that batch).
    english = sorted({h["description_en"] for h in body["results"]})
    spanish = dict(zip(english, text.en_es.translate(english), strict=True))
    for hit in body["results"]:
        assert hit["description"] == spanish[hit["description_en"]] != hit["description_en"]
    en = client.get("/search", params={"q": "dark coat", "k": 3}).json()
    assert [h["description"] for h in en["results"]] and "description_en" not in \
        en["results"][0]

    result = pipeline.replay_incident(out, normal=400, epochs=1, store=store,
                                      log=lambda _m: None)
    assert result["requests_to_alert"] <= 600
    (job,) = (out / "retrain-queue").glob("retrain-*-1.json")
    queued = json.loads(job.read_text())
    assert queued["images"] == result["job_images"] == 600 and queued["alerts"]
    assert result["decision"]["promote"] is True
    assert result["model_loads"] == 2  # the running app picked up the promoted file
    assert result["decision"]["candidate_accuracy"] > result["decision"]["serving_accuracy"]
    assert result["accuracy_on_shift_after"] > result["accuracy_on_shift_before"] + 0.2
    logged = [json.loads(line) for line in (out / "decisions.jsonl").read_text().splitlines()]
    assert [d["promote"] for d in logged] == [True]
    runs = ref.read_runs(store)
    assert [r["params"].get("promoted") for r in runs] == [None, "True"]
    assert runs[1]["tags"]["sha256.model.onnx"] == ref.file_sha256(out / "model.onnx")
