"""``run_transformer_translate``: translate a sentence with the reference Transformer
(training one first when none is saved), as in the course notes:

    $ run_transformer_translate "hello world"
    input: hello world
    output: ...

``--attention FILE.png`` draws every head's cross-attention for that sentence;
``--report DIR`` scores the model on the held-out books against the word-by-word
dictionary and writes ``DIR/report.md`` with examples and the attention plot.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import torch  # noqa: E402

from buildreal.projects.data.errors import DataUnavailable  # noqa: E402
from buildreal.projects.p5_translator import api, system  # noqa: E402
from buildreal.projects.p5_translator.baselines import DictionaryTranslator  # noqa: E402
from buildreal.projects.p5_translator.corpus import DIRECTIONS, load_pairs  # noqa: E402
from buildreal.projects.p5_translator.evaluate import score, sentence_chrf  # noqa: E402


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="run_transformer_translate",
                                description=__doc__.split("\n\n")[0])
    p.add_argument("text", nargs="+", help="the sentence to translate")
    p.add_argument("--direction", default="en-es", choices=DIRECTIONS)
    p.add_argument("--beam", type=int, default=4, help="beam width (1: greedy decoding)")
    p.add_argument("--preset", default="small", choices=tuple(system.PRESETS),
                   help="model size; tiny trains in seconds and translates badly")
    p.add_argument("--models-dir", type=Path, default=None,
                   help="where models are saved (default data/models/p5-translator)")
    p.add_argument("--attention", type=Path, default=None, metavar="FILE.png",
                   help="draw each head's cross-attention for this sentence")
    p.add_argument("--report", type=Path, default=None, metavar="DIR",
                   help="score on the held-out books and write DIR/report.md")
    p.add_argument("--test-limit", type=int, default=None,
                   help="held-out sentences scored by --report (default all)")
    p.add_argument("--threads", type=int, default=1,
                   help="torch threads (on a shared CPU one is usually fastest)")
    return p


def plot_attention(translator: system.Translator, text: str, path: Path, beam: int) -> None:
    """One heatmap per (decoder layer, head): rows are output tokens, columns source
    tokens, each row the weights that output position gave the source."""
    src, out, maps = translator.attention(text, beam)
    layers, heads = len(maps), maps[0].shape[0]
    fig, axes = plt.subplots(layers, heads, squeeze=False,
                             figsize=(2.2 + 1.1 * heads * max(len(src), 4) / 4,
                                      0.6 + 1.0 * layers * max(len(out), 4) / 4))
    for layer, weights in enumerate(maps):
        for head in range(heads):
            ax = axes[layer][head]
            ax.imshow(weights[head].numpy(), cmap="viridis", vmin=0.0, vmax=1.0,
                      aspect="auto")
            ax.set_xticks(range(len(src)), [t.replace("▁", "") for t in src], rotation=90,
                          fontsize=7)
            ax.set_yticks(range(len(out)), [t.replace("▁", "") for t in out], fontsize=7)
            ax.set_title(f"layer {layer + 1}, head {head + 1}", fontsize=8)
    fig.suptitle(f"cross-attention: {text!r}", fontsize=9)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=90)
    plt.close(fig)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def write_report(translator: system.Translator, folder: Path, beam: int,
                 limit: int | None) -> None:
    """report.md: BLEU/chrF on the test books beside the dictionary, examples, a plot."""
    test = load_pairs(translator.direction)["test"]
    if limit is not None:
        test = test.head(limit)
    ours = translator.translate(test.src, beam=beam)
    words = DictionaryTranslator(translator.direction).translate(test.src)
    mine, base = score(ours, test.tgt), score(words, test.tgt)
    ranked = sorted(range(len(test)), key=lambda i: sentence_chrf(ours[i], test.tgt[i]))
    picks = ranked[::-1][:4] + ranked[:3]
    info = translator.info
    lines = [
        f"# Project 5: Transformer translator report ({translator.direction})", "",
        f"Model: {info.get('preset', '?')} preset, {info.get('steps', '?')} training steps "
        f"on {info.get('pairs', '?')} pairs ({info.get('seconds', '?')} s).", "",
        f"Held-out books ({len(test)} verses, never seen in training), lower case: the "
        f"Transformer scores BLEU {mine.bleu:.1f} and chrF {mine.chrf:.1f}; the dictionary "
        f"baseline BLEU {base.bleu:.1f} and chrF {base.chrf:.1f}.", "",
        "| system | BLEU | chrF |", "|---|---|---|",
        f"| Transformer (beam {beam}) | {mine.bleu:.1f} | {mine.chrf:.1f} |",
        f"| dictionary baseline, word by word | {base.bleu:.1f} | {base.chrf:.1f} |", "",
        "Examples, best and worst by sentence chrF:", "",
        "| source | reference | Transformer | chrF |", "|---|---|---|---|",
    ]
    lines += [f"| {_cell(test.src[i])} | {_cell(test.tgt[i])} | {_cell(ours[i])} | "
              f"{sentence_chrf(ours[i], test.tgt[i]):.0f} |" for i in picks]
    sample = test.src[picks[0]]
    plot_attention(translator, sample, folder / "attention.png", beam)
    lines += ["", f"Cross-attention for {sample!r}, every layer and head:", "",
              "![attention](attention.png)", ""]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "report.md").write_text("\n".join(lines), encoding="utf-8")
    print(f"test_bleu: {mine.bleu:.2f}  test_chrf: {mine.chrf:.2f} "
          f"(dictionary {base.bleu:.2f} / {base.chrf:.2f})")


def report_from_benchmark(results: dict, translator: system.Translator, folder: Path) -> None:
    """report.md from a ``benchmarks/translator.py --json`` run: the scores of every
    system at equal training time, examples good and bad, and an attention plot."""
    tr = results["translation"]
    lines = [f"# Project 5: Transformer translator report ({tr['direction']})", "",
             f"Both networks trained for {tr['cpu_seconds_each']:.0f} CPU seconds each (one "
             f"thread), in alternating chunks in one process: the Transformer took "
             f"{tr['steps']['transformer']} steps ({tr['params']['transformer']:,} weights), "
             f"the GRU with additive attention {tr['steps']['gru_attention']} steps "
             f"({tr['params']['gru_attention']:,} weights).", "",
             "Held-out books (Ruth, Jonah, Mark, Philippians, James; never seen in "
             "training), scored in lower case with sacrebleu:", "",
             "| system | BLEU | chrF |", "|---|---|---|"]
    lines += [f"| {name} | {row['bleu']:.1f} | {row['chrf']:.1f} |"
              for name, row in tr["test"].items()]
    best = tr["test"]["Transformer (beam 4)"]
    lines += ["", f"The Transformer with beam 4: BLEU {best['bleu']:.1f}, chrF "
              f"{best['chrf']:.1f}.", "",
              "Examples, best and worst by sentence chrF (Transformer, beam 4):", "",
              "| source | reference | Transformer | GRU + attention | chrF |",
              "|---|---|---|---|---|"]
    lines += [f"| {_cell(e['source'])} | {_cell(e['reference'])} | {_cell(e['transformer'])} "
              f"| {_cell(e['gru'])} | {e['chrf']:.0f} |" for e in tr["examples"]]
    lines += ["", "Sentences outside the Bible's register:", "", "| input | output |",
              "|---|---|"]
    lines += [f"| {_cell(k)} | {_cell(v)} |" for k, v in tr["demo"].items()]
    sample = tr["examples"][0]["source"]
    plot_attention(translator, sample, folder / "attention.png", 4)
    lines += ["", f"Cross-attention for {sample!r}, every layer and head:", "",
              "![attention](attention.png)", ""]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "report.md").write_text("\n".join(lines), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    torch.set_num_threads(args.threads)
    text = " ".join(args.text)
    try:
        translator = api.load_translator(args.direction, args.models_dir, True, args.preset)
        output = translator.translate([text], beam=args.beam)[0]
        print(f"input: {text}")
        print(f"output: {output}")
        if args.attention is not None:
            plot_attention(translator, text, args.attention, args.beam)
            print(f"attention_saved: {args.attention}")
        if args.report is not None:
            write_report(translator, args.report, args.beam, args.test_limit)
    except DataUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
