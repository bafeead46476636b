"""WSGI entry point. Loads the course packs before serving the first request, so a bad
pack stops an app server at start (with ``file:line: message`` lines) instead of
failing later on some learner's page, and the lab partner's sentence encoder, so that
no learner's request waits while it loads, and the search index (full-text table and
stored passage vectors; missing vectors are encoded in the background)."""

from __future__ import annotations

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buildreal.web.settings")

application = get_wsgi_application()

from buildreal.catalog.content import require_catalog  # noqa: E402  (needs Django set up)

require_catalog()

from buildreal.labs.services import load_partner_at_start  # noqa: E402

load_partner_at_start()

from buildreal.search.index import load_at_start as load_search_at_start  # noqa: E402

load_search_at_start()

# Everything loaded so far (packs, URL patterns, templates, the encoder, the search index)
# lives as long as the process: leave it out of the garbage collector's full passes,
# each of which otherwise paused every thread for about 0.2 s (issue 11, throughput).
gc.freeze()
