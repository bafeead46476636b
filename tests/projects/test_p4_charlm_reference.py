"""The Project 4 reference pieces: the n-gram baseline, truncated BPTT, sampling, the
corpus split, and `run_rnn_generate` end to end on a tiny preset."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from buildreal.projects.p4_charlm.cli import main as run_rnn_generate
from buildreal.projects.p4_charlm.corpus import Vocab, load_corpus
from buildreal.projects.p4_charlm.ngram import NgramModel
from buildreal.projects.p4_charlm.reference.charlm import CharLM, sample
from buildreal.projects.p4_charlm.reference.charlm.train import (
    TrainConfig,
    batchify,
    evaluate_nats,
    train_tbptt,
)

TEXT = "the cat sat on the mat. the rat ate the hat. " * 20


pytestmark = pytest.mark.usefixtures("one_torch_thread")  # see conftest.py


def _ids(vocab: Vocab, text: str) -> np.ndarray:
    return vocab.encode_array(text)


def test_ngram_distributions_sum_to_one_for_seen_and_unseen_contexts():
    vocab = Vocab.from_texts(TEXT + "zq")
    model = NgramModel(_ids(vocab, TEXT), len(vocab), max_order=4)
    for context in ("the", "zqz"):  # zqz never occurs in training
        for order in (1, 2, 4):
            dist = model.next_char_distribution(_ids(vocab, context), order)
            assert dist.sum() == pytest.approx(1.0) and (dist > 0).all()


def test_witten_bell_matches_the_formula_by_hand():
    vocab = Vocab("ab")
    model = NgramModel(_ids(vocab, "aab"), 2, max_order=2)
    # unigram: C(a)=2, C(b)=1, N=3, T=2: P(a) = (2 + 2 * 1/2) / (3 + 2) = 0.6
    assert model.next_char_distribution(_ids(vocab, "b"), 1)[0] == pytest.approx(0.6)
    # after "a": C(aa)=1, C(ab)=1, C(a.)=2, T(a)=2: P(b|a) = (1 + 2 * 0.4) / 4 = 0.45
    assert model.next_char_distribution(_ids(vocab, "a"), 2)[1] == pytest.approx(0.45)


def test_higher_orders_predict_repetitive_text_better():
    vocab = Vocab.from_texts(TEXT)
    model = NgramModel(_ids(vocab, TEXT), len(vocab), max_order=5)
    bpc = model.bits_per_char(_ids(vocab, TEXT[:200]))
    assert bpc[5] < bpc[2] < bpc[1] < math.log2(len(vocab))


def test_batchify_makes_contiguous_streams():
    streams = batchify(torch.arange(10), 3)
    assert streams.tolist() == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]


def test_untrained_model_is_near_uniform_and_training_lowers_its_loss():
    vocab = Vocab.from_texts(TEXT)
    data = torch.from_numpy(_ids(vocab, TEXT))
    torch.manual_seed(0)
    model = CharLM(len(vocab), hidden_size=32, cell="gru")
    before = evaluate_nats(model, data, batch_size=2, seq_len=50)
    assert before == pytest.approx(math.log(len(vocab)), rel=0.1)
    history = train_tbptt(model, data, TrainConfig(seq_len=20, batch_size=4, steps=60,
                                                   lr=1e-2))
    assert len(history["loss"]) == 60 and len(history["grad_norm"]) == 60
    assert evaluate_nats(model, data, batch_size=2, seq_len=50) < 0.5 * before


def test_top_k_of_one_is_greedy_and_temperature_must_be_positive():
    torch.manual_seed(0)
    model = CharLM(6, hidden_size=8)
    greedy, state, nxt = [], None, 2
    for _ in range(5):  # argmax decoding by hand
        logits, state = model(torch.tensor([[nxt]]), state)
        nxt = int(logits[0, -1].argmax())
        greedy.append(nxt)
    got = sample(model, [2], 5, top_k=1, generator=torch.Generator().manual_seed(0))
    assert got == greedy
    with pytest.raises(ValueError, match="temperature must be > 0"):
        sample(model, [2], 5, temperature=0)


def test_corpus_is_split_by_play_and_encodes_round_trip():
    corpus = load_corpus(limit=20_000)
    assert "macbeth" in corpus.val_works and "macbeth" not in corpus.train_works
    text = corpus.vocab.decode(corpus.train[:300].tolist())
    assert corpus.vocab.encode(text) == corpus.train[:300].tolist()


def test_run_rnn_generate_trains_then_continues_the_seed(tmp_path, capsys):
    common = ["--out", str(tmp_path), "--threads", "1", "--quiet"]
    assert run_rnn_generate(["--train", "--limit", "40000", "--steps", "6", "--hidden", "32",
                             "--seq-len", "32", "--batch-size", "8", "--compare-steps", "3",
                             *common]) == 0
    report = (tmp_path / "report.md").read_text()
    assert "best n-gram (order" in report and "Temperature 0.5:" in report
    assert (tmp_path / "grad_norms.png").stat().st_size > 0
    capsys.readouterr()
    assert run_rnn_generate(["--seed", "Once upon", "--length", "30", *common]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == 'seed: "Once upon"'
    assert out[1].startswith('output: "Once upon') and len(out[1]) == len('output: ""') + 39


def test_run_rnn_generate_refuses_a_seed_outside_the_vocabulary(tmp_path, capsys):
    common = ["--out", str(tmp_path), "--threads", "1", "--quiet"]
    run_rnn_generate(["--train", "--limit", "20000", "--steps", "2", "--hidden", "16",
                      "--seq-len", "16", "--batch-size", "4", "--compare-steps", "0", *common])
    assert run_rnn_generate(["--seed", "Once upon \u00e9", *common]) == 2
    assert "cannot be encoded" in capsys.readouterr().err


def test_plain_sgd_without_clipping_lets_a_vanilla_rnn_gradient_explode():
    vocab = Vocab.from_texts(TEXT)
    data = torch.from_numpy(_ids(vocab, TEXT * 4))
    norms = {}
    for clip in (0.5, None):
        torch.manual_seed(0)
        model = CharLM(len(vocab), hidden_size=64, cell="rnn")
        cfg = TrainConfig(seq_len=64, batch_size=4, steps=40, lr=10.0, clip=clip,
                          optimizer="sgd")
        norms[clip] = train_tbptt(model, data, cfg)["grad_norm"]
    assert norms[0.5][0] == norms[None][0]  # same start; clipping acts after backward
    assert max(norms[None]) > 3 * max(norms[0.5])
    with pytest.raises(ValueError, match="optimizer must be"):
        train_tbptt(CharLM(len(vocab)), data, TrainConfig(optimizer="lbfgs"))
