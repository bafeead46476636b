"""WhiteNoise's compressed manifest storage, remembering each static file's URL.

Every page names about ten static files (``{% static %}``: scripts, styles, icons), and
the manifest storage works each URL out afresh: split, look up the hashed name, join,
quote. A name's URL cannot change while the storage's manifest is the same, so it is
worked out once per process (issue 11, throughput); ``post_process`` (collectstatic,
which rewrites the manifest) forgets them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class ManifestStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[tuple[str, bool], str] = {}

    def url(self, name: str, force: bool = False) -> str:
        if settings.DEBUG and not force:  # plain names, served from the app folders
            return super().url(name, force)
        key = (name, force)
        found = self._urls.get(key)
        if found is None:
            found = self._urls[key] = super().url(name, force)
        return found

    def post_process(self, *args: Any, **kwargs: Any) -> Any:
        self._urls.clear()
        yield from super().post_process(*args, **kwargs)
        self._urls.clear()
