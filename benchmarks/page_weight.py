"""Bytes a page ships on a cold cache, compressed as served, measured in Chromium.

Run against a live site (``buildreal serve`` serves hashed, brotli-compressed static
files): ``python benchmarks/page_weight.py http://127.0.0.1:8000 /courses/x/lesson/ ...``.
Prints the transferred bytes per page (HTML + CSS + JS + fonts + images, from the
browser's own network log) against the issue's budgets: 150 KB for a lesson with math,
60 KB without. Also prints first paint under Chromium's slow-4G-like throttling, taken
from the page's Performance API (a page metric, not the script's run time).
"""

from __future__ import annotations

import sys

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 1.6 * 1024 * 1024 / 8,
           "uploadThroughput": 750 * 1024 / 8}


def measure(page, url: str) -> tuple[int, dict[str, int], float]:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", SLOW_4G)
    sizes: dict[str, int] = {}
    urls: dict[str, str] = {}
    cdp.on("Network.responseReceived", lambda e: urls.__setitem__(e["requestId"],
                                                                     e["response"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(
        urls.get(e["requestId"], e["requestId"]), int(e["encodedDataLength"])))
    page.goto(url, wait_until="networkidle")
    paint = page.evaluate("() => (performance.getEntriesByName('first-paint')[0] || "
                          "{startTime: -1}).startTime")
    cdp.detach()
    return sum(sizes.values()), sizes, float(paint)


def main(argv: list[str]) -> int:
    site, paths = argv[0].rstrip("/"), argv[1:]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-gpu"])
        for path in paths:
            context = browser.new_context(viewport={"width": 390, "height": 844})
            page = context.new_page()
            total, sizes, paint = measure(page, site + path)
            print(f"{path}: {total / 1024:.1f} KB transferred in {len(sizes)} responses, "
                  f"first paint {paint:.0f} ms (slow 4G)")
            for name, size in sorted(sizes.items(), key=lambda kv: -kv[1])[:6]:
                print(f"    {size / 1024:7.1f} KB  {name.replace(site, '')}")
            context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
