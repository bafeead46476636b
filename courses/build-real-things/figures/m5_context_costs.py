"""Figure for Module 5, lesson 4: what 200 pages of documentation cost per month as
long context versus retrieval.

Why: "the documents do not fit in the context window" is no longer the deciding argument
for retrieval-augmented generation; cost per query often is. The curves are computed
from stated assumptions, printed on the figure: 500 words a page, 0.75 words a token,
an input price of 1 USD per million tokens (an assumption for illustration, not a
vendor's price), cached input at a tenth of that, and 5 retrieved chunks of 300 tokens.

Usage: python m5_context_costs.py OUTPUT_PATH
"""

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

PAGES, WORDS_PER_PAGE, WORDS_PER_TOKEN = 200, 500, 0.75
PRICE_PER_TOKEN = 1.0 / 1_000_000          # USD, assumed
CACHED_SHARE = 0.1                          # cached input billed at 10% of the price
QUESTION_TOKENS, CHUNKS, CHUNK_TOKENS = 500, 5, 300


def main(out_path: str) -> None:
    doc_tokens = PAGES * WORDS_PER_PAGE / WORDS_PER_TOKEN          # about 133,000
    per_query = {
        "whole manual in every prompt": (doc_tokens + QUESTION_TOKENS) * PRICE_PER_TOKEN,
        "whole manual, cached": (doc_tokens * CACHED_SHARE + QUESTION_TOKENS) * PRICE_PER_TOKEN,
        "RAG: 5 chunks of 300 tokens": (CHUNKS * CHUNK_TOKENS + QUESTION_TOKENS) * PRICE_PER_TOKEN,
    }
    queries_per_day = np.logspace(1, 5, 50)                         # 10 .. 100,000
    fig, ax = plt.subplots(figsize=(8, 4.4))
    for (label, cost), style in zip(per_query.items(), ["-", "--", ":"], strict=True):
        monthly = cost * queries_per_day * 30
        ax.plot(queries_per_day, monthly, style, lw=2,
                label=f"{label}: {cost * 1000:.2f} USD per 1,000 queries")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("questions per day")
    ax.set_ylabel("input-token cost per month (USD)")
    ax.set_title(f"{PAGES} pages ≈ {doc_tokens / 1000:.0f}k tokens: it fits many current "
                 "context windows; the bill is the difference", fontsize=10)
    ax.legend(fontsize=8, loc="upper left")
    ax.grid(True, which="major", alpha=0.3)
    fig.tight_layout()
    fig.savefig(out_path)


if __name__ == "__main__":
    main(sys.argv[1])
