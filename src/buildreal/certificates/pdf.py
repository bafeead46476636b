"""HTML to PDF with WeasyPrint, with every resource fetch refused.

The certificate template is self-contained (inline CSS, no images), so nothing needs
fetching; refusing all URLs means a template change can never make the server request
an outside or internal address while it renders.
"""

from __future__ import annotations

from typing import NoReturn


def _refuse(url: str, *args: object, **kwargs: object) -> NoReturn:
    raise ValueError(f"the certificate PDF fetches nothing (asked for {url!r})")


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported on first use: it loads pango (~1 s)

    return HTML(string=html, url_fetcher=_refuse).write_pdf()
