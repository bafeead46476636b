"""Project 8's demo, `run_vae_sample`, on a tiny preset: the notes' two output lines, every
figure it promises (the latent map with a 2-D latent space), a report the checker accepts,
and a second run that reuses the saved model instead of training again."""

from __future__ import annotations

import matplotlib.image as mpimg
import pytest
import torch

from buildreal.projects.p8_vae.cli import main
from buildreal.projects.p8_vae.metrics import score
from buildreal.projects.p8_vae.reference.vae import build_model

pytestmark = pytest.mark.usefixtures("one_torch_thread")  # see conftest.py

TINY = ["--latent", "2", "--width", "8", "--epochs", "1", "--limit", "400",
        "--test-limit", "60", "--k", "8"]


def test_run_vae_sample_prints_the_notes_lines_and_writes_every_figure(tmp_path, capsys):
    assert main(["--id", "12", "--out", str(tmp_path), *TINY]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[:2] == ["sample_id: 12", "output_saved: samples/sample_12.png"]
    assert "training a VAE on 400 images" in captured.err
    for name in ("sample_12", "grid", "grid_ex_post", "reconstructions", "interpolation",
                 "latent_map"):
        image = mpimg.imread(tmp_path / "samples" / f"{name}.png")
        assert image.shape[0] > 50 and image[..., :3].std() > 0.01  # something was drawn
    report = (tmp_path / "report.md").read_text()
    assert "Test ELBO: -" in report and "![samples](samples/grid.png)" in report
    assert "![ex-post samples](samples/grid_ex_post.png)" in report

    assert main(["--id", "3", "--out", str(tmp_path), *TINY]) == 0
    again = capsys.readouterr()
    assert "training" not in again.err  # the saved model was loaded
    assert again.out.splitlines()[1] == "output_saved: samples/sample_3.png"


def test_importance_sampled_likelihood_is_at_least_the_elbo():
    torch.manual_seed(0)
    x = torch.rand(12, 1, 28, 28).round()  # (12, 1, 28, 28) binary images
    model = build_model(4, seed=0, width=8)
    single = score(model, x, k=1, batch=6)
    many = score(model, x, k=64, batch=6)
    assert single.log_likelihood == pytest.approx(single.elbo, rel=0.02)  # k=1 is an ELBO
    assert many.log_likelihood > many.elbo  # the IWAE bound tightens with k
    assert many.bits_per_dim == pytest.approx(-many.log_likelihood / (784 * 0.6931), rel=1e-3)
