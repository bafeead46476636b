"""Figure for Module 3, lesson 5: PyTorch's share in research, as two published sources measured it.

Why: "PyTorch's market share" is not one number. Each source counts something different,
so the figure shows only published values, each with what it counted. No value here is
interpolated or estimated by the course.

Sources (values as published):
- Horace He, "The State of Machine Learning Frameworks in 2019", The Gradient, October
  2019: among 2019 conference papers that mention PyTorch or TensorFlow (papers with
  Google- or Facebook-affiliated authors and papers mentioning both excluded), PyTorch's
  share was 69% at CVPR, "75+%" at NAACL and ACL, "50+%" at ICLR and ICML. "+" values
  are lower bounds and are drawn hatched.
- State of AI Report 2020 (Benaich and Hogarth), from Papers with Code data: 47% of paper
  implementations used PyTorch and 18% TensorFlow.

Usage: python m3_framework_share.py OUTPUT_PATH
"""

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

GRADIENT_2019 = [  # (conference, PyTorch share %, is a lower bound)
    ("CVPR", 69, False),
    ("NAACL", 75, True),
    ("ACL", 75, True),
    ("ICLR", 50, True),
    ("ICML", 50, True),
]
STATE_OF_AI_2020 = [("PyTorch", 47), ("TensorFlow", 18)]


def main(out_path: str) -> None:
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4), gridspec_kw={"width_ratios": [5, 3]})
    for i, (_conference, share, lower_bound) in enumerate(GRADIENT_2019):
        left.bar(i, share, color="tab:orange", hatch="//" if lower_bound else None,
                 edgecolor="white" if not lower_bound else "tab:red")
        left.text(i, share + 2, f"{share}%" + ("+" if lower_bound else ""), ha="center",
                  fontsize=9)
    left.axhline(50, color="0.6", ls=":", lw=1)
    left.set_xticks(range(len(GRADIENT_2019)), [c for c, _, _ in GRADIENT_2019])
    left.set_ylim(0, 100)
    left.set_ylabel("PyTorch share (%)")
    left.set_title("2019 conference papers naming PyTorch or TensorFlow\n"
                   "(The Gradient, Oct 2019; hatched: reported as a lower bound)", fontsize=9)

    for i, (name, share) in enumerate(STATE_OF_AI_2020):
        right.bar(i, share, color="tab:orange" if name == "PyTorch" else "tab:blue")
        right.text(i, share + 2, f"{share}%", ha="center", fontsize=9)
    right.set_xticks(range(len(STATE_OF_AI_2020)), [n for n, _ in STATE_OF_AI_2020])
    right.set_ylim(0, 100)
    right.set_ylabel("share of implementations (%)")
    right.set_title("Paper implementations on Papers with Code\n"
                    "(State of AI Report 2020; the other 35% not shown)", fontsize=9)
    fig.suptitle("Two sources, two different things counted", fontsize=11)
    fig.tight_layout()
    fig.savefig(out_path)


if __name__ == "__main__":
    main(sys.argv[1])
