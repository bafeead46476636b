"""Django's database sessions, read with one prebuilt statement (``SESSION_ENGINE``).

Every signed-in request reads its session first; Django's ``db.SessionStore`` builds that
``SELECT`` through the ORM each time, which cost more than the rest of a small request
(issue 11, throughput). This store reads the same row with the same conditions (the key,
not yet expired) through ``hotsql``; writes, key checks and expiry stay Django's, in the
same table, so existing sessions stay valid and ``clearsessions`` works unchanged.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import router
from django.utils import timezone

from buildreal.web.hotsql import Select

# Sessions from before the site's own backend (accounts/backends.py) name Django's; the
# two read users identically, so such a session keeps its learner signed in.
BACKEND_KEY = "_auth_user_backend"
LEGACY_BACKEND = "django.contrib.auth.backends.ModelBackend"
BACKEND = "buildreal.accounts.backends.ModelBackend"

_SESSION = Select(Session, ["session_data"], "{session_key} = %s AND {expire_date} > %s",
                  ["session_key", "expire_date"])


class SessionStore(db.SessionStore):
    def load(self) -> dict[str, Any]:
        rows = _SESSION.rows(self.session_key, timezone.now(), using=self.db_alias)
        if not rows:
            self._session_key = None
            return {}
        data = self.decode(rows[0][0])
        if data.get(BACKEND_KEY) == LEGACY_BACKEND:
            data[BACKEND_KEY] = BACKEND
        return data

    @property
    def db_alias(self) -> str:
        return router.db_for_read(self.model) or "default"
